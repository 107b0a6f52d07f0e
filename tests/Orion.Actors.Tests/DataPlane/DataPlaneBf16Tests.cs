// bf16 gradients on the data plane: two bytes a value on the wire, widened in place on arrival to exactly the
// bf16-rounded values the coordinator of a bf16 run sums; a wrong size or an unknown format is refused.
using System.Net;
using System.Net.Http.Headers;
using Orion.Actors.DataPlane;
using Orion.Actors.Protocol;
using Orion.Engine.Kernels;
using Xunit;

namespace Orion.Actors.Tests.DataPlane;

public sealed class DataPlaneBf16Tests
{
    private const int Floats = 10_007;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<DataPlaneServer> Server(List<string> log) =>
        await DataPlaneServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, new TensorStore { TensorLength = Floats },
            () => new HelloResponse("run", "akka.tcp://orion@127.0.0.1:1"), s => { lock (log) log.Add(s); });

    [Fact]
    public async Task Post_Bf16_StoredAsTheRoundedValues()
    {
        var log = new List<string>();
        await using var server = await Server(log);
        using var client = new DataPlaneClient(server.Address, identity: null, Timeout);
        var rng = new Random(3);
        var values = Enumerable.Range(0, Floats).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var path = TensorStore.GradientPath(1, 0, 1);
        var reference = await client.PostAsync(path, (float[])values.Clone(), bf16: true);
        var stored = server.Store.TakeGradient(reference, out var error);
        Assert.True(stored is not null, error);
        var expected = (float[])values.Clone();
        Bf16.RoundInPlace(expected);
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), stored!.Select(BitConverter.SingleToUInt32Bits));
        Assert.NotEqual(values.Select(BitConverter.SingleToUInt32Bits), stored.Select(BitConverter.SingleToUInt32Bits));
    }

    [Theory]
    [InlineData("bf16", Floats * 4, "Content-Length")]   // fp32-sized body declared as bf16
    [InlineData("fp8", Floats * 2, "is not fp32 or bf16")]
    public async Task Post_WrongBf16Upload_RefusedNothingStored(string format, int bytes, string reason)
    {
        var log = new List<string>();
        await using var server = await Server(log);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = Timeout };
        var path = TensorStore.GradientPath(1, 0, 2);
        using var content = new ByteArrayContent(new byte[bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var digest = TensorDigest.OfBytes(new byte[bytes]);
        using var response = await http.PostAsync(new Uri($"{path}?length={Floats}&digest={digest}&format={format}", UriKind.Relative), content);
        Assert.False(response.IsSuccessStatusCode);
        lock (log) Assert.Contains(log, l => l.Contains(reason, StringComparison.Ordinal));
        Assert.Null(server.Store.TakeGradient(new TensorRef(path, Floats, digest), out _));
    }
}
