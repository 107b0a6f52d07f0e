// Akka serializer for the journal (events and snapshots): System.Text.Json under string manifests that name the
// record and its format version. Manifests are a contract with every journal already written: never rename one;
// a changed record gets a new manifest (".v2") and the old one keeps its reader.
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Orion.Actors.Journal;

public sealed class RunEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka reserves 0-40; this id is stored in every journal row and must never change.</summary>
    public const int Id = 4101;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
        // A NaN loss (a skipped step) is journaled as it is.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly (string Manifest, Type Type)[] Types =
    [
        ("run-started.v1", typeof(RunStarted)),
        ("step-committed.v1", typeof(StepCommitted)),
        ("checkpoint-saved.v1", typeof(CheckpointSaved)),
        ("membership-changed.v1", typeof(MembershipChanged)),
        ("device-changed.v1", typeof(DeviceChanged)),
        ("run-completed.v1", typeof(RunCompleted)),
        ("run-snapshot.v1", typeof(RunSnapshot)),
    ];

    public override int Identifier => Id;

    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        foreach (var (manifest, type) in Types)
            if (type == o.GetType()) return manifest;
        throw new ArgumentException($"{o.GetType().FullName} is not a journaled type of this build", nameof(o));
    }

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _ = Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Array.Find(Types, t => t.Manifest == manifest).Type
            ?? throw new SerializationException($"journal entry with manifest '{manifest}' is not one this build reads " +
                $"(known: {string.Join(", ", Types.Select(t => t.Manifest))}); the journal was written by a newer Orion build");
        try
        {
            return JsonSerializer.Deserialize(bytes, type, Json) ?? throw new JsonException("null entry");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new SerializationException($"journal entry '{manifest}' cannot be read ({ex.Message}); the journal is damaged", ex);
        }
    }
}
