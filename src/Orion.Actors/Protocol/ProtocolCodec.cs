// The cluster protocol on the wire (issue 5, item 3): each record becomes a WireMessage whose header is small JSON
// (ids, step, shapes, scalars — floats round-trip exactly) and whose tensors (weights, gradients) travel as raw
// little-endian chunks through the link, never as JSON. Anything unexpected is a ProtocolException: the link closes.
using System.Text.Json;
using System.Text.Json.Serialization;
using Orion.Actors.Remote;
using Orion.Engine.Model;

namespace Orion.Actors.Protocol;

public sealed class ProtocolException(string message) : Exception(message);

public static class ProtocolCodec
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A NaN or infinite loss is a real outcome (a corrupt device output): it must reach the coordinator, which skips the step.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // A header missing a field, or null where none is allowed, is malformed — not a message full of nulls.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private sealed record PrepareHeader(string RunId, JsonElement Config, int Seq, long Step);
    private sealed record ShardHeader(string RunId, long Step, long RequestId, int Shard, int BatchSize, int Seq, int[] Inputs, int[] Targets, float GradScale);
    private sealed record StepHeader(string RunId, long Step);
    private sealed record EndHeader(string RunId, string Reason);
    private sealed record ReadyHeader(string RunId, string Worker, long Step, WorkerStats Stats);
    private sealed record ComputedHeader(string RunId, string Worker, long Step, long RequestId, int Shard, double Loss, WorkerStats Stats);

    public static WireMessage Encode(WorkerCommand command) => command switch
    {
        PrepareRun p => Message("prepare-run", new PrepareHeader(p.RunId, p.Config.ToJsonElement(), p.Seq, p.Step), p.Weights),
        ComputeShard c => Message("compute-shard", new ShardHeader(c.RunId, c.Step, c.RequestId, c.Shard, c.BatchSize, c.Seq, c.Inputs, c.Targets, c.GradScale)),
        UpdateWeights u => Message("update-weights", new StepHeader(u.RunId, u.Step), u.Weights),
        EndRun e => Message("end-run", new EndHeader(e.RunId, e.Reason)),
        _ => throw new ArgumentException($"{command.GetType().Name} does not travel between nodes", nameof(command)),
    };

    public static WireMessage Encode(CoordinatorMessage message) => message switch
    {
        WorkerReady r => Message("worker-ready", new ReadyHeader(r.RunId, r.Worker, r.Step, r.Stats)),
        ShardComputed c => Message("shard-computed", new ComputedHeader(c.RunId, c.Worker, c.Step, c.RequestId, c.Shard, c.Loss, c.Stats), c.Gradients),
        ShardFailed f => Message("shard-failed", f),
        WorkerFailed f => Message("worker-failed", f),
        DeviceFingerprintChanged d => Message("device-changed", d),
        _ => throw new ArgumentException($"{message.GetType().Name} does not travel between nodes", nameof(message)),
    };

    public static WorkerCommand DecodeCommand(WireMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        switch (m.Type)
        {
            case "prepare-run":
                var p = Header<PrepareHeader>(m, tensors: 1);
                var config = Config(p.Config);
                return new PrepareRun(p.RunId, config, p.Seq, p.Step, Tensor(m, 0));
            case "compute-shard":
                var c = Header<ShardHeader>(m, tensors: 0);
                if (c.BatchSize <= 0 || c.Seq <= 0 || c.Inputs.Length != (long)c.BatchSize * c.Seq || c.Targets.Length != c.Inputs.Length)
                    throw new ProtocolException($"compute-shard: {c.Inputs.Length} inputs and {c.Targets.Length} targets do not make {c.BatchSize} x {c.Seq}");
                return new ComputeShard(c.RunId, c.Step, c.RequestId, c.Shard, c.BatchSize, c.Seq, c.Inputs, c.Targets, c.GradScale);
            case "update-weights":
                var u = Header<StepHeader>(m, tensors: 1);
                return new UpdateWeights(u.RunId, u.Step, Tensor(m, 0), Owned: true);
            case "end-run":
                var e = Header<EndHeader>(m, tensors: 0);
                return new EndRun(e.RunId, e.Reason);
            default:
                throw new ProtocolException($"'{m.Type}' is not a message a worker accepts");
        }
    }

    public static CoordinatorMessage DecodeReply(WireMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        switch (m.Type)
        {
            case "worker-ready":
                var r = Header<ReadyHeader>(m, tensors: 0);
                return new WorkerReady(r.RunId, r.Worker, r.Step, r.Stats);
            case "shard-computed":
                var c = Header<ComputedHeader>(m, tensors: 1);
                return new ShardComputed(c.RunId, c.Worker, c.Step, c.RequestId, c.Shard, c.Loss, Tensor(m, 0), c.Stats);
            case "shard-failed": return Header<ShardFailed>(m, tensors: 0);
            case "worker-failed": return Header<WorkerFailed>(m, tensors: 0);
            case "device-changed": return Header<DeviceFingerprintChanged>(m, tensors: 0);
            default:
                throw new ProtocolException($"'{m.Type}' is not a message the coordinator accepts");
        }
    }

    private static ModelConfig Config(JsonElement e)
    {
        try
        {
            return ModelConfig.FromJsonElement(e, "prepare-run");
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            throw new ProtocolException($"prepare-run: {ex.Message}");
        }
    }

    private static WireMessage Message<T>(string type, T header, params float[][] tensors) =>
        new(type, JsonSerializer.SerializeToUtf8Bytes(header, Json), tensors.Select(t => (ReadOnlyMemory<float>)t).ToArray());

    private static T Header<T>(WireMessage m, int tensors)
    {
        if (m.Tensors.Count != tensors) throw new ProtocolException($"{m.Type}: {m.Tensors.Count} tensors, expected {tensors}");
        try
        {
            return JsonSerializer.Deserialize<T>(m.Header, Json) ?? throw new ProtocolException($"{m.Type}: empty header");
        }
        catch (JsonException ex)
        {
            throw new ProtocolException($"{m.Type}: malformed header ({ex.Message})");
        }
    }

    // Received tensors are backed by float[] (the link allocates each once at its declared length).
    private static float[] Tensor(WireMessage m, int i) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(m.Tensors[i], out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
            ? seg.Array : m.Tensors[i].ToArray();
}
