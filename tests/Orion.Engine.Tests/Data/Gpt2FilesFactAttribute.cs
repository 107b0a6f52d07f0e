// [Gpt2FilesFact]: a fact that runs only where OpenAI's GPT-2 tokenizer files are found (ORION_GPT2_TOKENIZER_DIR or
// the Hugging Face cache); elsewhere it is skipped with the reason. xunit 2 reads Skip from the attribute instance.
using Xunit;

namespace Orion.Engine.Tests.Data;

/// <summary>A fact that runs only where the real GPT-2 tokenizer files are found.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class Gpt2FilesFactAttribute : FactAttribute
{
    public Gpt2FilesFactAttribute()
    {
        if (FindFiles() is null)
            Skip = "GPT-2's vocab.json/merges.txt not found: set ORION_GPT2_TOKENIZER_DIR to run the golden tokenizer tests";
    }

    public static (string Vocab, string Merges)? FindFiles()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("ORION_GPT2_TOKENIZER_DIR") is { Length: > 0 } dir) folders.Add(dir);
        var hub = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface", "hub");
        foreach (var model in new[] { "models--gpt2", "models--openai-community--gpt2" })
        {
            var snapshots = Path.Combine(hub, model, "snapshots");
            if (Directory.Exists(snapshots)) folders.AddRange(Directory.GetDirectories(snapshots));
        }
        foreach (var folder in folders)
            foreach (var (vocab, merges) in new[] { ("vocab.json", "merges.txt"), ("encoder.json", "vocab.bpe") })
                if (File.Exists(Path.Combine(folder, vocab)) && File.Exists(Path.Combine(folder, merges)))
                    return (Path.Combine(folder, vocab), Path.Combine(folder, merges));
        return null;
    }
}
