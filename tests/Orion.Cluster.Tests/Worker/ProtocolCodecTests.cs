// The cluster protocol's wire codec (issue 5, item 3): every message survives encode/decode with equal values (floats
// bit for bit, NaN and -0 included), and anything malformed is a ProtocolException, which closes the link.
using System.Text;
using Orion.Actors.Remote;
using Orion.Engine.Model;
using Orion.Actors.Protocol;
using Xunit;

namespace Orion.Cluster.Tests.Worker;

public sealed class ProtocolCodecTests
{
    private static readonly float[] Tricky = [0f, -0f, 1f / 3, float.Epsilon, float.MaxValue, float.MinValue, float.NaN, float.PositiveInfinity, 1e-20f, -7.25f];
    private static readonly WorkerStats Stats = new("emulated/m4/fake-os-2", 16, 3, 13, 8, 1234, 1);

    /// <summary>What the link does: header bytes and every tensor copied into fresh arrays.</summary>
    private static WireMessage Transmit(WireMessage m) =>
        new(m.Type, m.Header.ToArray(), m.Tensors.Select(t => (ReadOnlyMemory<float>)t.ToArray()).ToArray());

    private static WorkerCommand RoundTrip(WorkerCommand c) => ProtocolCodec.DecodeCommand(Transmit(ProtocolCodec.Encode(c)));
    private static CoordinatorMessage RoundTrip(CoordinatorMessage c) => ProtocolCodec.DecodeReply(Transmit(ProtocolCodec.Encode(c)));

    private static void AssertBits(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

    [Fact]
    public void PrepareRun_RoundTrip_EqualConfigAndWeights()
    {
        var sent = new PrepareRun("run-1", ModelConfig.Preset("stories-tiny"), 32, 5, Tricky);
        var got = Assert.IsType<PrepareRun>(RoundTrip(sent));
        Assert.Equal((sent.RunId, sent.Config, sent.Seq, sent.Step), (got.RunId, got.Config, got.Seq, got.Step));
        AssertBits(sent.Weights, got.Weights);
    }

    [Fact]
    public void ComputeShard_RoundTrip_EqualTokensAndScale()
    {
        var sent = new ComputeShard("run-1", 7, 42, 1, 2, 3, [1, 2, 3, 4, 5, 255], [2, 3, 4, 5, 255, 0], 4096f / 3);
        var got = Assert.IsType<ComputeShard>(RoundTrip(sent));
        Assert.Equal((sent.RunId, sent.Step, sent.RequestId, sent.Shard, sent.BatchSize, sent.Seq), (got.RunId, got.Step, got.RequestId, got.Shard, got.BatchSize, got.Seq));
        Assert.Equal(sent.Inputs, got.Inputs);
        Assert.Equal(sent.Targets, got.Targets);
        Assert.Equal(BitConverter.SingleToInt32Bits(sent.GradScale), BitConverter.SingleToInt32Bits(got.GradScale));
    }

    [Fact]
    public void UpdateWeightsAndEndRun_RoundTrip_Equal()
    {
        var update = Assert.IsType<UpdateWeights>(RoundTrip(new UpdateWeights("run-1", 9, Tricky)));
        Assert.Equal(("run-1", 9L), (update.RunId, update.Step));
        AssertBits(Tricky, update.Weights);
        var end = new EndRun("run-1", "dismissed: no answer within 00:00:03");
        Assert.Equal(end, RoundTrip(end));
    }

    [Theory]
    [InlineData(0.1 + 0.2)]
    [InlineData(double.NaN)] // a corrupt device output: the coordinator must see it to skip the step
    [InlineData(double.PositiveInfinity)]
    public void ShardComputed_RoundTrip_LossBitsAndGradientsEqual(double loss)
    {
        var sent = new ShardComputed("run-1", "worker-3", 7, 42, 1, loss, Tricky, Stats);
        var got = Assert.IsType<ShardComputed>(RoundTrip(sent));
        Assert.Equal((sent.RunId, sent.Worker, sent.Step, sent.RequestId, sent.Shard, sent.Stats), (got.RunId, got.Worker, got.Step, got.RequestId, got.Shard, got.Stats));
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(got.Loss));
        AssertBits(sent.Gradients, got.Gradients);
    }

    public static TheoryData<CoordinatorMessage> Replies() =>
    [
        new WorkerReady("run-1", "worker-0", 12, Stats),
        new ShardFailed("run-1", "worker-0", 12, 99, 3, "evaluation failed: \"quoted\" \\ and\nnewline"),
        new WorkerFailed("run-1", "worker-0", "R05: compile budget exhausted"),
        new DeviceFingerprintChanged("run-1", "worker-0", "m4/fake-os-1/c1", "m4/fake-os-2/c1", Stats),
    ];

    [Theory]
    [MemberData(nameof(Replies))]
    public void Reply_RoundTrip_Equal(CoordinatorMessage sent) => Assert.Equal(sent, RoundTrip(sent));

    [Fact]
    public void Encode_LocalOnlyMessage_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ProtocolCodec.Encode(new WorkerLeft("worker-0", "gone")));
        Assert.Contains("WorkerLeft does not travel between nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownOrWrongDirectionType_ProtocolException()
    {
        var unknown = new WireMessage("launch-missiles", "{}"u8.ToArray(), []);
        Assert.Contains("'launch-missiles' is not a message a worker accepts", Assert.Throws<ProtocolException>(() => ProtocolCodec.DecodeCommand(unknown)).Message, StringComparison.Ordinal);
        Assert.Throws<ProtocolException>(() => ProtocolCodec.DecodeReply(unknown));
        Assert.Throws<ProtocolException>(() => ProtocolCodec.DecodeCommand(ProtocolCodec.Encode(new WorkerReady("r", "w", 1, Stats))));
        Assert.Throws<ProtocolException>(() => ProtocolCodec.DecodeReply(ProtocolCodec.Encode(new EndRun("r", "done"))));
    }

    public static TheoryData<string, bool> Types() => new()
    {
        { "prepare-run", true }, { "compute-shard", true }, { "update-weights", true }, { "end-run", true },
        { "worker-ready", false }, { "shard-computed", false }, { "shard-failed", false }, { "worker-failed", false }, { "device-changed", false },
    };

    private static readonly Dictionary<string, int> TensorCount = new() { ["prepare-run"] = 1, ["update-weights"] = 1, ["shard-computed"] = 1 };

    private static object Decode(string type, bool command, string header, int tensors)
    {
        var m = new WireMessage(type, Encoding.UTF8.GetBytes(header), Enumerable.Range(0, tensors).Select(_ => (ReadOnlyMemory<float>)new float[4]).ToArray());
        return command ? ProtocolCodec.DecodeCommand(m) : ProtocolCodec.DecodeReply(m);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Decode_MalformedHeader_ProtocolExceptionNamingTheType(string type, bool command)
    {
        int tensors = TensorCount.GetValueOrDefault(type);
        foreach (var header in new[] { "{\"runId\": ", "null", "[1, 2]", "{}", "{\"runId\": 5}", "\u00ff" })
        {
            var error = Assert.Throws<ProtocolException>(() => Decode(type, command, header, tensors));
            Assert.StartsWith(type + ": ", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Decode_WrongTensorCount_ProtocolException(string type, bool command)
    {
        int expected = TensorCount.GetValueOrDefault(type);
        var error = Assert.Throws<ProtocolException>(() => Decode(type, command, "{}", expected + 1));
        Assert.Contains($"{expected + 1} tensors, expected {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeCommand_PrepareRunWithInvalidModelConfig_ProtocolException()
    {
        var error = Assert.Throws<ProtocolException>(() => Decode("prepare-run", true, "{\"runId\":\"r\",\"config\":{\"name\":\"x\"},\"seq\":32,\"step\":0}", 1));
        Assert.StartsWith("prepare-run: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeCommand_ComputeShardTokensNotBatchTimesSeq_ProtocolException()
    {
        var m = ProtocolCodec.Encode(new ComputeShard("run-1", 1, 1, 0, 2, 3, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 1f));
        var error = Assert.Throws<ProtocolException>(() => ProtocolCodec.DecodeCommand(m));
        Assert.Contains("5 inputs and 5 targets do not make 2 x 3", error.Message, StringComparison.Ordinal);
    }
}
