// `orion` as a child process for the multi-process cluster tests: stdout and stderr lines are collected as they
// arrive, tests wait for a readiness line (never for time) with generous timeouts, and Dispose kills the whole
// process tree, so no test leaves a process behind.
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Orion.Cli.Tests.Cluster;

internal sealed class OrionProcess : IDisposable
{
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();

    public OrionProcess(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(OrionCli).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove(Engine.Diagnostics.CrashPoints.Variable);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Args = string.Join(' ', args);
    }

    public string Args { get; }

    public string Output
    {
        get { lock (_gate) return string.Join('\n', _lines); }
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until a line matches <paramref name="pattern"/>; returns its match. Fails if the process exits first.</summary>
    public Match WaitForLine(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow + (timeout ?? Generous);
        int seen = 0;
        Match? Scan()
        {
            lock (_gate)
                for (; seen < _lines.Count; seen++)
                    if (regex.Match(_lines[seen]) is { Success: true } m) return m;
            return null;
        }
        while (true)
        {
            if (Scan() is { } found) return found;
            if (_process.HasExited)
            {
                _process.WaitForExit(); // the rest of the output
                return Scan() ?? throw new InvalidOperationException($"`orion {Args}` exited ({_process.ExitCode}) before printing /{pattern}/:\n{Output}");
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"`orion {Args}` did not print /{pattern}/ within {timeout ?? Generous}:\n{Output}");
            lock (_gate)
                if (seen == _lines.Count) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(500));
        }
    }

    public int WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? Generous))
            throw new TimeoutException($"`orion {Args}` did not exit within {timeout ?? Generous}:\n{Output}");
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as `kill -9` does.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    public static string Describe(IEnumerable<OrionProcess> processes)
    {
        var b = new StringBuilder();
        foreach (var p in processes) b.Append("--- orion ").Append(p.Args).Append('\n').Append(p.Output).Append('\n');
        return b.ToString();
    }
}
