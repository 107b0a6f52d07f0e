// The journal's serializer is a contract with every journal already written: its id and manifests never change, every
// journaled type round-trips, and an unknown manifest or a damaged payload is a SerializationException that says so.
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;
using Orion.Engine.Model.Training;
using Xunit;

namespace Orion.Actors.Tests.Journal;

public sealed class RunEventSerializerTests : IDisposable
{
    private readonly ActorSystem _system = OrionAkka.Create("serializer-test");

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(30));
        _system.Dispose();
    }

    private SerializerWithStringManifest Serializer(object o)
    {
        var s = Assert.IsAssignableFrom<SerializerWithStringManifest>(_system.Serialization.FindSerializerFor(o));
        Assert.Equal(RunEventSerializer.Id, s.Identifier);
        return s;
    }

    public static TheoryData<string, object> Entries()
    {
        using var doc = JsonDocument.Parse("""{"name":"gpt2-tiny","layers":2}""");
        var run = new RunStarted("r", "gpt2-tiny", doc.RootElement.Clone(), new TrainingOptions(), "builtin", 1000, "byte", 2);
        return new()
        {
            { "run-started.v1", run },
            { "step-committed.v1", new StepCommitted(3, 123, 1e-4f, false, 4096f, 128, ["w0"]) },
            { "checkpoint-saved.v1", new CheckpointSaved(2, "checkpoints/step-000002", "ab12") },
            { "membership-changed.v1", new MembershipChanged("w0", false, "its actor stopped") },
            { "device-changed.v1", new DeviceChanged("w0", "m4/os-1", "m4/os-2") },
            { "run-completed.v1", new RunCompleted(6, "ff") },
            { "run-snapshot.v1", new RunSnapshot(run, new CheckpointSaved(2, "checkpoints/step-000002", "ab12")) },
            { "steps-changed.v1", new StepsChanged(1000, 2000) },
        };
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void RoundTrip_EveryJournaledType_StableManifestSameJson(string manifest, object entry)
    {
        var s = Serializer(entry);
        Assert.Equal(manifest, s.Manifest(entry));
        var bytes = s.ToBinary(entry);
        var back = s.FromBinary(bytes, manifest);
        Assert.Equal(entry.GetType(), back.GetType());
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(s.ToBinary(back)));
    }

    [Fact]
    public void FromBinary_UnknownManifest_SaysNewerBuild()
    {
        var s = Serializer(new RunCompleted(1, "x"));
        var e = Assert.Throws<SerializationException>(() => s.FromBinary("{}"u8.ToArray(), "step-committed.v9"));
        Assert.Contains("'step-committed.v9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("newer Orion build", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_DamagedPayload_SaysDamaged()
    {
        var s = Serializer(new RunCompleted(1, "x"));
        var e = Assert.Throws<SerializationException>(() => s.FromBinary("{\"step\":"u8.ToArray(), "run-completed.v1"));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }
}
