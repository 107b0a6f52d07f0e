// The one contract every IJournal passes (the dotnet/runtime Channels pattern: an abstract test base, one derived
// class per implementation). Each test gets a unique stream prefix, so implementations may share one store.
using Orion.Actors.Persistence;
using Xunit;

namespace Orion.Actors.Tests.Persistence;

public abstract class JournalContractTests : IAsyncLifetime
{
    private readonly List<IJournal> _opened = [];

    /// <summary>Unique per test: streams never collide with another test's, even in a shared PostgreSQL database.</summary>
    protected string StreamPrefix { get; } = $"t{Guid.NewGuid():N}"[..13] + "/";

    /// <summary>The journal spec of this test's store; every open within one test must reach the same store.</summary>
    protected abstract string Spec { get; }

    /// <summary>Makes the store reject (abort) any inserted event row of <paramref name="poisonType"/>, as a failing disk would.</summary>
    protected abstract Task InjectWriteFaultAsync(string poisonType);

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IJournal journal in _opened) await journal.DisposeAsync();
        await CleanupAsync();
    }

    protected string Stream(string name) => StreamPrefix + name;

    protected async Task<IJournal> OpenAsync()
    {
        IJournal journal = await Journals.OpenAsync(Spec);
        _opened.Add(journal);
        return journal;
    }

    protected static JournalEvent Event(long sequence, string type = "StepCommitted", byte[]? payload = null) =>
        new(sequence, type, payload ?? BitConverter.GetBytes(sequence * 7919));

    protected static JournalEvent[] Events(long first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Event(first + i))];

    protected static async Task<List<JournalEvent>> ReadAllAsync(IJournal journal, string stream, long from = 0)
    {
        var events = new List<JournalEvent>();
        await foreach (JournalEvent e in journal.ReadAsync(stream, from)) events.Add(e);
        return events;
    }

    protected static void AssertSame(IReadOnlyList<JournalEvent> expected, IReadOnlyList<JournalEvent> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Sequence, actual[i].Sequence);
            Assert.Equal(expected[i].Type, actual[i].Type);
            Assert.Equal(expected[i].Payload, actual[i].Payload);
        }
    }

    [Fact]
    public async Task HighestSequenceAsync_EmptyStream_ReturnsZeroAndNothingToRead()
    {
        IJournal journal = await OpenAsync();
        Assert.Equal(0, await journal.HighestSequenceAsync(Stream("run")));
        Assert.Empty(await ReadAllAsync(journal, Stream("run")));
        Assert.Null(await journal.LoadSnapshotAsync(Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_ThenReadAsync_ReturnsEventsBitExact()
    {
        IJournal journal = await OpenAsync();
        var random = new Random(42);
        byte[] large = new byte[1 << 20];
        random.NextBytes(large);
        JournalEvent[] events =
        [
            new(1, "StepCommitted", []),
            new(2, "RunStarted", [.. Enumerable.Range(0, 256).Select(i => (byte)i)]),
            new(3, "Étape ✓ 步", large),
            new(4, "Zeros", new byte[4096]),
        ];
        await journal.AppendAsync(Stream("run"), events[..2]);
        await journal.AppendAsync(Stream("run"), events[2..]);

        Assert.Equal(4, await journal.HighestSequenceAsync(Stream("run")));
        AssertSame(events, await ReadAllAsync(journal, Stream("run")));
    }

    [Fact]
    public async Task ReadAsync_FromMiddle_ReturnsTheTailInOrder()
    {
        IJournal journal = await OpenAsync();
        JournalEvent[] events = Events(1, 5);
        await journal.AppendAsync(Stream("run"), events);

        AssertSame(events[2..], await ReadAllAsync(journal, Stream("run"), from: 3));
        AssertSame(events, await ReadAllAsync(journal, Stream("run"), from: 1));
        Assert.Empty(await ReadAllAsync(journal, Stream("run"), from: 6));
    }

    [Fact]
    public async Task ReadAsync_MoreEventsThanOnePage_ReturnsAllInOrder()
    {
        IJournal journal = await OpenAsync();
        JournalEvent[] events = Events(1, 1000);
        await journal.AppendAsync(Stream("run"), events[..600]);
        await journal.AppendAsync(Stream("run"), events[600..]);

        AssertSame(events, await ReadAllAsync(journal, Stream("run")));
        AssertSame(events[511..], await ReadAllAsync(journal, Stream("run"), from: 512));
    }

    [Theory]
    [InlineData(1)] // duplicate of an existing event
    [InlineData(3)] // duplicate of the highest
    [InlineData(5)] // a gap
    public async Task AppendAsync_SequenceNotHighestPlusOne_ThrowsConcurrencyAndWritesNothing(long sequence)
    {
        IJournal journal = await OpenAsync();
        await journal.AppendAsync(Stream("run"), Events(1, 3));

        var e = await Assert.ThrowsAsync<JournalConcurrencyException>(() => journal.AppendAsync(Stream("run"), [Event(sequence)]));
        Assert.Contains($"must have sequence 4, not {sequence}", e.Message);
        Assert.Contains(Stream("run"), e.Message);
        Assert.Equal(3, await journal.HighestSequenceAsync(Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_EmptyStreamNotStartingAtOne_ThrowsConcurrency()
    {
        IJournal journal = await OpenAsync();
        await Assert.ThrowsAsync<JournalConcurrencyException>(() => journal.AppendAsync(Stream("run"), [Event(2)]));
        Assert.Equal(0, await journal.HighestSequenceAsync(Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_BatchWithGapInside_WritesNothingOfTheBatch()
    {
        IJournal journal = await OpenAsync();
        await journal.AppendAsync(Stream("run"), Events(1, 2));

        await Assert.ThrowsAsync<JournalConcurrencyException>(() => journal.AppendAsync(Stream("run"), [Event(3), Event(4), Event(6)]));
        Assert.Equal(2, await journal.HighestSequenceAsync(Stream("run")));
        Assert.Equal(2, (await ReadAllAsync(journal, Stream("run"))).Count);
    }

    [Fact]
    public async Task AppendAsync_StoreRejectsARowMidBatch_ThrowsJournalExceptionAndWritesNothing()
    {
        IJournal journal = await OpenAsync();
        await journal.AppendAsync(Stream("run"), Events(1, 2));
        string poison = "Poison" + StreamPrefix;
        await InjectWriteFaultAsync(poison);

        // Rows 3 and 4 are inserted before row 5 fails: only an atomic batch leaves none of them behind.
        var e = await Assert.ThrowsAsync<JournalException>(() => journal.AppendAsync(Stream("run"), [Event(3), Event(4), Event(5, poison)]));
        Assert.IsNotType<JournalConcurrencyException>(e);
        Assert.Contains("appending events 3..5", e.Message);
        Assert.Contains("injected fault", e.Message);
        Assert.Equal(2, await journal.HighestSequenceAsync(Stream("run")));

        await journal.AppendAsync(Stream("run"), Events(3, 2)); // the journal stays usable after a failed batch
        Assert.Equal(4, await journal.HighestSequenceAsync(Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_SecondWriterWithStaleView_ThrowsConcurrency()
    {
        IJournal first = await OpenAsync(), second = await OpenAsync();
        await first.AppendAsync(Stream("run"), Events(1, 3));

        // The second writer believes the stream ends at 2 (it recovered before the first appended event 3).
        await Assert.ThrowsAsync<JournalConcurrencyException>(() => second.AppendAsync(Stream("run"), [Event(3, "Other")]));
        AssertSame(Events(1, 3), await ReadAllAsync(second, Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppendersOnOneSequence_ExactlyOneWinsEachRound()
    {
        IJournal a = await OpenAsync(), b = await OpenAsync();
        for (long sequence = 1; sequence <= 10; sequence++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<bool> Attempt(IJournal journal, string type) => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await journal.AppendAsync(Stream("run"), [Event(sequence, type)]);
                    return true;
                }
                catch (JournalConcurrencyException)
                {
                    return false;
                }
            });
            Task<bool> byA = Attempt(a, "ByA"), byB = Attempt(b, "ByB");
            start.SetResult();
            bool[] won = await Task.WhenAll(byA, byB).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, won.Count(w => w));
            List<JournalEvent> stored = await ReadAllAsync(a, Stream("run"), from: sequence);
            Assert.Equal(won[0] ? "ByA" : "ByB", Assert.Single(stored).Type);
        }
        Assert.Equal(10, await b.HighestSequenceAsync(Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_StreamsWithSimilarIds_AreIsolated()
    {
        IJournal journal = await OpenAsync();
        await journal.AppendAsync(Stream("run-1"), Events(1, 3));
        await journal.AppendAsync(Stream("run-10"), [Event(1, "Ten")]);
        await journal.SaveSnapshotAsync(Stream("run-1"), new SnapshotRecord(2, [1]));

        Assert.Equal(3, await journal.HighestSequenceAsync(Stream("run-1")));
        Assert.Equal(1, await journal.HighestSequenceAsync(Stream("run-10")));
        Assert.Equal(0, await journal.HighestSequenceAsync(Stream("run")));
        Assert.Equal("Ten", Assert.Single(await ReadAllAsync(journal, Stream("run-10"))).Type);
        Assert.Null(await journal.LoadSnapshotAsync(Stream("run-10")));
    }

    [Fact]
    public async Task LoadSnapshotAsync_SeveralSaved_ReturnsTheHighestSequence()
    {
        IJournal journal = await OpenAsync();
        await journal.SaveSnapshotAsync(Stream("run"), new SnapshotRecord(5, [5]));
        await journal.SaveSnapshotAsync(Stream("run"), new SnapshotRecord(10, [10, 10]));
        await journal.SaveSnapshotAsync(Stream("run"), new SnapshotRecord(7, [7])); // older, saved later: not the latest
        SnapshotRecord? latest = await journal.LoadSnapshotAsync(Stream("run"));
        Assert.Equal(10, latest!.Sequence);
        Assert.Equal([10, 10], latest.Payload);

        await journal.SaveSnapshotAsync(Stream("run"), new SnapshotRecord(10, [])); // same sequence: replaced
        Assert.Empty((await journal.LoadSnapshotAsync(Stream("run")))!.Payload);
    }

    [Fact]
    public async Task OpenAsync_AfterDispose_KeepsEventsAndSnapshots()
    {
        IJournal journal = await OpenAsync();
        JournalEvent[] events = Events(1, 20);
        await journal.AppendAsync(Stream("run"), events);
        await journal.SaveSnapshotAsync(Stream("run"), new SnapshotRecord(15, [1, 5]));
        await journal.DisposeAsync();

        IJournal reopened = await OpenAsync();
        Assert.Equal(journal.Description, reopened.Description);
        Assert.Equal(20, await reopened.HighestSequenceAsync(Stream("run")));
        AssertSame(events, await ReadAllAsync(reopened, Stream("run")));
        Assert.Equal(new SnapshotRecord(15, [1, 5]).Payload, (await reopened.LoadSnapshotAsync(Stream("run")))!.Payload);
        await reopened.AppendAsync(Stream("run"), [Event(21)]);
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposed()
    {
        IJournal journal = await OpenAsync();
        await journal.DisposeAsync();
        await journal.DisposeAsync(); // twice is harmless
        await Assert.ThrowsAsync<ObjectDisposedException>(() => journal.AppendAsync(Stream("run"), [Event(1)]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => journal.HighestSequenceAsync(Stream("run")));
    }

    [Fact]
    public async Task AppendAsync_InvalidArguments_ThrowArgumentExceptions()
    {
        IJournal journal = await OpenAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => journal.AppendAsync("", [Event(1)]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => journal.AppendAsync(Stream("run"), null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => journal.AppendAsync(Stream("run"), [new JournalEvent(1, "", [])]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => journal.AppendAsync(Stream("run"), [new JournalEvent(1, "T", null!)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => journal.ReadAsync(Stream("run"), -1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => journal.SaveSnapshotAsync(Stream("run"), new SnapshotRecord(-1, [])));
        await journal.AppendAsync(Stream("run"), []); // an empty batch is a no-op
        Assert.Equal(0, await journal.HighestSequenceAsync(Stream("run")));
    }
}
