// Where training and evaluation tokens come from (issue: training and inference, item 4): the built-in corpus,
// llm.c token shards (one file or a folder of *.bin, in name order), or plain text encoded by a tokenizer.
namespace Orion.Engine.Data;

public sealed record DataSource(string Description, ushort[] Tokens)
{
    public const string Builtin = "builtin";

    /// <param name="spec">"builtin", a .bin shard, a folder of shards, or a text file.</param>
    /// <param name="encodeText">Encodes a text file's contents (the run's tokenizer).</param>
    public static DataSource Load(string spec, Func<string, ushort[]> encodeText)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(encodeText);
        if (spec == Builtin) return new(Builtin, BuiltinCorpus.Tokens());
        if (Directory.Exists(spec))
        {
            var shards = Directory.GetFiles(spec, "*.bin").OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (shards.Length == 0) throw new FileNotFoundException($"--data folder '{spec}' has no *.bin token shards; expected llm.c shards (or pass a file)", spec);
            var all = shards.Select(TokenShard.Read).ToArray();
            var tokens = new ushort[all.Sum(a => (long)a.Length)];
            long at = 0;
            foreach (var a in all) { a.CopyTo(tokens, at); at += a.Length; }
            return new($"{spec} ({shards.Length} shards)", tokens);
        }
        if (!File.Exists(spec)) throw new FileNotFoundException($"--data '{spec}' does not exist; expected 'builtin', an llm.c .bin shard, a folder of shards, or a text file", spec);
        if (spec.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)) return new(spec, TokenShard.Read(spec));
        var text = File.ReadAllText(spec);
        if (text.Length == 0) throw new InvalidDataException($"{spec}: the text file is empty; training needs tokens");
        return new(spec, encodeText(text));
    }
}
