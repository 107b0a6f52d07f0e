// Persistent on-disk cache of compiled ANE programs, keyed by program identity + device fingerprint (architecture.md, Engine).
// Layout: <directory>/<identity>/entry.json + whatever IAneDevice.SaveCompiled writes; entries appear by directory rename only.
using System.Collections.Concurrent;

namespace Orion.Engine.Ane;

/// <summary>
/// Compile once per (MIL text, weight-key set, device fingerprint). Weight contents are not part of the key, as
/// with the ANE's own identity: programs are delta-patched after loading. A fingerprint change (OS update, other
/// chip, new compiler version) invalidates an entry, which is deleted, reported and recompiled — never reused.
/// Entries are built in a temporary folder and renamed into place, so a crash never leaves a half entry that is
/// later trusted; an entry whose entry.json is missing or corrupt is counted and replaced. Leftover temporary
/// (<c>.tmp-*</c>) and discarded (<c>.trash-*</c>) folders are ignored. Thread-safe; safe across processes
/// sharing a directory (the last rename wins, the loser keeps its own compiled program).
/// </summary>
public sealed class ProgramCache
{
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);
    private int _hits, _misses, _invalidations, _corrupt;

    public ProgramCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public int Hits => Volatile.Read(ref _hits);
    public int Misses => Volatile.Read(ref _misses);
    public int Invalidations => Volatile.Read(ref _invalidations);

    /// <summary>Entries found half-written or corrupt (missing/invalid entry.json, or artifacts the device could not load) and replaced.</summary>
    public int CorruptEntries => Volatile.Read(ref _corrupt);

    /// <summary>Why the most recent corrupt entry was rejected (null until one is found): the diagnostic behind <see cref="CorruptEntries"/>.</summary>
    public string? LastCorruptEntryProblem { get; private set; }

    /// <summary>Raised (on the calling thread, after the stale entry is deleted and before recompiling) when a fingerprint change invalidates an entry.</summary>
    public event EventHandler<CacheInvalidatedEventArgs>? Invalidated;

    /// <summary>The folder an entry for <paramref name="identity"/> lives in.</summary>
    public string EntryDirectory(string identity) => Path.Combine(Directory, identity);

    public CacheResult GetOrCompile(IAneDevice device, AneProgramSource source)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(source);
        var identity = source.Identity;
        var fingerprint = device.Fingerprint;
        var entryDir = EntryDirectory(identity);
        lock (_locks.GetOrAdd(identity, _ => new object()))
        {
            DeviceFingerprint? stale = null;
            if (System.IO.Directory.Exists(entryDir))
            {
                var entry = ProgramCacheEntry.TryRead(entryDir, identity, out var problem);
                if (entry is null)
                {
                    ReportCorrupt(problem);
                    Discard(entryDir);
                }
                else if (entry.Fingerprint != fingerprint)
                {
                    stale = entry.Fingerprint;
                    Discard(entryDir);
                    Interlocked.Increment(ref _invalidations);
                    Invalidated?.Invoke(this, new CacheInvalidatedEventArgs(identity, stale, fingerprint));
                }
                else
                {
                    try
                    {
                        var loaded = device.LoadCompiled(source, entryDir);
                        Interlocked.Increment(ref _hits);
                        return new CacheResult(loaded, CacheOutcome.Hit);
                    }
                    catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
                    {
                        ReportCorrupt($"{entryDir}: the device could not load the cached artifacts: {ex.Message}");
                        Discard(entryDir);
                    }
                }
            }

            var program = device.Compile(source);
            Store(device, program, identity, fingerprint, entryDir);
            if (stale is null)
            {
                Interlocked.Increment(ref _misses);
                return new CacheResult(program, CacheOutcome.Miss);
            }
            return new CacheResult(program, CacheOutcome.Invalidated, stale);
        }
    }

    private void ReportCorrupt(string problem)
    {
        LastCorruptEntryProblem = problem;
        Interlocked.Increment(ref _corrupt);
    }

    /// <summary>Artifacts and entry.json go to a temporary folder first; the rename publishes the entry whole.</summary>
    private void Store(IAneDevice device, AneProgram program, string identity, DeviceFingerprint fingerprint, string entryDir)
    {
        var tmp = Path.Combine(Directory, $".tmp-{identity}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.CreateDirectory(tmp);
            device.SaveCompiled(program, tmp);
            // entry.json last: its presence (after the rename) is what makes the entry trusted.
            ProgramCacheEntry.Create(identity, fingerprint).WriteTo(tmp);
            System.IO.Directory.Move(tmp, entryDir);
        }
        catch (IOException) when (System.IO.Directory.Exists(entryDir))
        {
            // Another process published the same entry first; keep theirs, drop ours.
            TryDelete(tmp);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Renames an entry out of the way before deleting it, so a crash mid-delete leaves no half entry under the real name.</summary>
    private void Discard(string entryDir)
    {
        var trash = Path.Combine(Directory, $".trash-{Path.GetFileName(entryDir)}-{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.Move(entryDir, trash);
        }
        catch (DirectoryNotFoundException)
        {
            return; // already gone (another process discarded it)
        }
        TryDelete(trash);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover .tmp-/.trash- folder is ignored by lookups; deleting it is best effort.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
