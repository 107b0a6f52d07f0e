// steps.jsonl of a run directory (cli-contract.md): one JSON object per committed step, loss written so it parses back
// to the same float32 bits. Resuming from a checkpoint drops lines past its step, so the file never holds a step twice.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orion.Engine.Model.Training;

public sealed class StepsLog : IDisposable
{
    public const string FileName = "steps.jsonl";
    private readonly FileStream _stream;

    private StepsLog(FileStream stream) => _stream = stream;

    /// <summary>Opens (creating) the log and keeps only lines of steps &lt;= <paramref name="keepThroughStep"/>.</summary>
    public static StepsLog Open(string runDir, long keepThroughStep)
    {
        var path = Path.Combine(runDir, FileName);
        var keep = new StringBuilder();
        if (File.Exists(path))
        {
            int lineNo = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNo++;
                if (line.Length == 0) continue;
                long step;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    step = doc.RootElement.GetProperty("step").GetInt64();
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    // A torn last line from a crash is expected; anything before the resumed step must be intact.
                    if (lineNo > keepThroughStep) break;
                    throw new InvalidDataException($"{path}: line {lineNo} is not a step record ({e.Message}); the log is damaged before the checkpoint being resumed", e);
                }
                if (step > keepThroughStep) break;
                keep.Append(line).Append('\n');
            }
        }
        AtomicFile.WriteAllText(path, keep.ToString());
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new StepsLog(stream);
    }

    public static string Format(StepResult r, int workers) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"step\":{r.Step},\"loss\":{Number(r.Loss)},\"lr\":{Number(r.LearningRate)},\"tokens\":{r.Tokens},\"ms\":{Math.Round(r.Milliseconds, 1):0.0#},\"workers\":{workers}{(r.Skipped ? ",\"skipped\":true" : "")},\"scale\":{Number(r.LossScale)}}}");

    // Shortest text that parses back to the same float32; a non-finite loss (an overflowed step) is written as null.
    private static string Number(float v) => float.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";

    public void Append(StepResult r, int workers)
    {
        var bytes = Encoding.UTF8.GetBytes(Format(r, workers) + "\n");
        _stream.Write(bytes);
        _stream.Flush();
    }

    /// <summary>Forces the lines so far to disk (at checkpoints).</summary>
    public void Sync() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
