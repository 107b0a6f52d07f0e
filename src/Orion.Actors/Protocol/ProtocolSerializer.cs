// Akka serializer for the fleet's control messages: System.Text.Json under explicit string manifests. Only the types
// listed here deserialize; an unknown manifest or a malformed payload is a SerializationException, which makes Akka
// drop that one message (and log it) instead of the association. Floats round-trip exactly, NaN included.
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Orion.Actors.Protocol;

public sealed class ProtocolSerializer(ExtendedActorSystem system) : JsonManifestSerializer(system, Json, Types)
{
    /// <summary>Akka reserves 0-40; this id travels in every remote message and must never change.</summary>
    public const int Id = 4102;

    /// <summary>Largest payload read: a shard's token ids at the longest context the presets have, with room to spare.</summary>
    public const int MaxPayloadBytes = 16 << 20;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        MaxDepth = 16,
    };

    private static readonly (string Manifest, Type Type)[] Types =
    [
        ("compute-shard.v1", typeof(ComputeShard)),
        ("end-run.v1", typeof(EndRun)),
        ("prepare-run-ref.v1", typeof(PrepareRunRef)),
        ("update-weights-ref.v1", typeof(UpdateWeightsRef)),
        ("worker-ready.v1", typeof(WorkerReady)),
        ("shard-computed-ref.v1", typeof(ShardComputedRef)),
        ("shard-failed.v1", typeof(ShardFailed)),
        ("worker-failed.v1", typeof(WorkerFailed)),
        ("device-changed.v1", typeof(DeviceFingerprintChanged)),
        ("describe-worker.v1", typeof(DescribeWorker)),
        ("worker-described.v1", typeof(WorkerDescribed)),
    ];

    public override int Identifier => Id;

    protected override string NotSerializable(Type type) => $"{type.FullName} does not travel between nodes";

    protected override string UnknownManifest(string manifest) => $"a peer sent a message with manifest '{manifest}', which this build does not accept";

    protected override string Malformed(string manifest, string problem) => $"a peer sent a malformed {manifest} ({problem})";

    protected override void CheckPayload(byte[] bytes, string manifest)
    {
        if (bytes.Length > MaxPayloadBytes)
            throw new SerializationException($"a peer sent a {manifest} of {bytes.Length:N0} bytes; at most {MaxPayloadBytes:N0} are accepted");
    }
}
