// Akka serializer for the journal (events and snapshots): System.Text.Json under string manifests that name the
// record and its format version. Manifests are a contract with every journal already written: never rename one;
// a changed record gets a new manifest (".v2") and the old one keeps its reader.
using System.Text.Json;
using Akka.Actor;

namespace Orion.Actors.Journal;

public sealed class RunEventSerializer(ExtendedActorSystem system) : JsonManifestSerializer(system, Json, Types)
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
        ("steps-changed.v1", typeof(StepsChanged)),
    ];

    public override int Identifier => Id;

    protected override string NotSerializable(Type type) => $"{type.FullName} is not a journaled type of this build";

    protected override string UnknownManifest(string manifest) =>
        $"journal entry with manifest '{manifest}' is not one this build reads (known: {string.Join(", ", Manifests)}); the journal was written by a newer Orion build";

    protected override string Malformed(string manifest, string problem) => $"journal entry '{manifest}' cannot be read ({problem}); the journal is damaged";
}
