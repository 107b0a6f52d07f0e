// The coordinator's side of the data plane: the weights it publishes for each step (workers GET them), and the
// gradients workers POST (the coordinator takes each once, by the reference in ShardComputedRef). Bounded: only the
// newest weights are kept, and gradients nobody took (a reassigned shard's late copy) are evicted oldest first.
using Orion.Actors.Protocol;

namespace Orion.Actors.DataPlane;

public sealed class TensorStore
{
    /// <summary>Weights of this many steps stay available (a worker preparing from step s while s+1 is published).</summary>
    public const int WeightsKept = 3;

    /// <summary>Posted gradients waiting to be taken, at most.</summary>
    public const int GradientsKept = 64;

    private readonly object _gate = new();
    private readonly LinkedList<(long Step, float[] Values, TensorRef Ref)> _weights = new();
    /// <summary>Posted gradients in arrival order, so eviction takes the oldest.</summary>
    private readonly OrderedDictionary<string, (float[] Values, string Digest)> _gradients = [];
    private long _bytesIn, _bytesOut;

    /// <summary>The length every tensor of the run has (the model's parameter count); 0 until the run is known.</summary>
    public int TensorLength { get; set; }

    public long BytesReceived => Interlocked.Read(ref _bytesIn);
    public long BytesSent => Interlocked.Read(ref _bytesOut);

    public static string WeightsPath(long step) => $"/v1/weights/{step}";

    public static string GradientPath(long step, int shard, long request) => $"/v1/gradients/{step}/{shard}/{request}";

    /// <summary>Publishes the weights after <paramref name="step"/> (idempotent per step: every worker shares one copy).</summary>
    public TensorRef PublishWeights(long step, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        lock (_gate)
        {
            foreach (var w in _weights)
                if (w.Step == step && w.Values.Length == values.Length) return w.Ref;
        }
        var reference = new TensorRef(WeightsPath(step), values.Length, TensorDigest.Of(values));
        lock (_gate)
        {
            foreach (var w in _weights) // another proxy may have published the same step meanwhile
                if (w.Step == step && w.Values.Length == values.Length) return w.Ref;
            _weights.AddFirst((step, values, reference));
            while (_weights.Count > WeightsKept) _weights.RemoveLast();
        }
        return reference;
    }

    /// <summary>The published weights of <paramref name="step"/>, or null when they were never published or are gone.</summary>
    public (float[] Values, TensorRef Ref)? Weights(long step)
    {
        lock (_gate)
            foreach (var w in _weights)
                if (w.Step == step) return (w.Values, w.Ref);
        return null;
    }

    internal void CountSent(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    /// <summary>A gradient that arrived whole and matched its own digest; an older one under the same path is replaced.</summary>
    internal void PutGradient(string path, float[] values, string digest)
    {
        Interlocked.Add(ref _bytesIn, (long)values.Length * sizeof(float));
        lock (_gate)
        {
            if (_gradients.Remove(path, out var old)) TensorPool.Return(old.Values);
            _gradients.Add(path, (values, digest));
            while (_gradients.Count > GradientsKept)
            {
                TensorPool.Return(_gradients.GetAt(0).Value.Values);
                _gradients.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// Takes the gradient <paramref name="reference"/> names (once): null with <paramref name="error"/> when it never
    /// arrived, was evicted, or its length or digest is not what the reference says.
    /// </summary>
    public float[]? TakeGradient(TensorRef reference, out string error)
    {
        ArgumentNullException.ThrowIfNull(reference);
        (float[] Values, string Digest) g;
        lock (_gate)
        {
            if (!_gradients.Remove(reference.Path, out g))
            {
                error = $"no gradient was posted at {reference.Path} (lost in transit, or evicted after {GradientsKept} unclaimed ones)";
                return null;
            }
        }
        if (g.Values.Length != reference.Length || !string.Equals(g.Digest, reference.Digest, StringComparison.Ordinal))
        {
            TensorPool.Return(g.Values);
            error = $"the gradient at {reference.Path} has {g.Values.Length:N0} values with digest {g.Digest[..12]}, but the worker reported {reference.Length:N0} with {reference.Digest[..Math.Min(12, reference.Digest.Length)]}";
            return null;
        }
        error = "";
        return g.Values;
    }
}
