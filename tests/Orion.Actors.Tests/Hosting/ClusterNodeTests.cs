// Fleet nodes as Akka.Cluster members on 127.0.0.1 (port 0), in one test process: nodes with certificates of one
// cluster CA join over akka.ssl.tcp and exchange messages; a node with a certificate of another CA is refused at the
// TLS handshake, never becomes a member, and none of its messages reaches an actor; plain TCP beyond loopback is
// refused before anything starts.
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Orion.Actors.Hosting;
using Orion.Actors.Protocol;
using Orion.Actors.Security;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Hosting;

public sealed partial class ClusterNodeTests : IDisposable
{
    private static readonly TimeSpan Wait = TestTimeouts.Dilated(TimeSpan.FromSeconds(60));
    private readonly TempFolder _temp = new();
    private readonly List<ActorSystem> _systems = [];
    private readonly List<NodeIdentity> _identities = [];

    public void Dispose()
    {
        foreach (var s in _systems) s.Terminate().Wait(Wait);
        foreach (var id in _identities) id.Dispose();
        _temp.Dispose();
    }

    private NodeIdentity Identity(string ca, string node)
    {
        var dir = _temp.At(ca);
        if (!File.Exists(Path.Combine(dir, "ca.crt"))) CertificateAuthority.CreateCa(dir);
        CertificateAuthority.CreateNode(dir, node, ["127.0.0.1"]);
        var id = NodeIdentity.Load(Path.Combine(dir, node + ".pfx"), Path.Combine(dir, "ca.crt"));
        _identities.Add(id);
        return id;
    }

    private ActorSystem Node(string role, NodeIdentity? identity, params string[] seeds) => Node(role, identity, null, seeds);

    private ActorSystem Node(string role, NodeIdentity? identity, Akka.Configuration.Config? extra, params string[] seeds)
    {
        var system = ClusterNode.Create(new ClusterNodeOptions { Role = role, Host = "127.0.0.1", Seeds = seeds, Identity = identity }, extra);
        _systems.Add(system);
        return system;
    }

    private static string HostPort(ActorSystem s) => $"127.0.0.1:{Cluster.Get(s).SelfAddress.Port}";

    private static Task<Member> MemberUp(ActorSystem observer, string role)
    {
        var up = new TaskCompletionSource<Member>(TaskCreationOptions.RunContinuationsAsynchronously);
        observer.ActorOf(Props.Create(() => new Watcher<ClusterEvent.MemberUp>(m => m.Member.HasRole(role), m => up.TrySetResult(m.Member))));
        return up.Task;
    }

    [Fact]
    public async Task Join_SameCa_WorkerIsUpAndAnsweredOverTls()
    {
        var coordinator = Node(ClusterNodeOptions.CoordinatorRole, Identity("ca", "coordinator"));
        var up = MemberUp(coordinator, ClusterNodeOptions.WorkerRole);
        var worker = Node(ClusterNodeOptions.WorkerRole, Identity("ca", "w1"), HostPort(coordinator));
        worker.ActorOf(Props.Create(() => new Describer()), "worker");
        var member = await up.WaitAsync(Wait);
        Assert.Equal("akka.ssl.tcp", member.Address.Protocol);
        var gateway = await coordinator.ActorSelection(new RootActorPath(member.Address) / "user" / "worker").ResolveOne(Wait);
        var described = await gateway.Ask<WorkerDescribed>(new DescribeWorker("r"), Wait);
        Assert.Equal("w1", described.Worker);
    }

    [Fact]
    public async Task Join_CertificateOfAnotherCa_RefusedAtHandshakeNothingDelivered()
    {
        var coordinator = Node(ClusterNodeOptions.CoordinatorRole, Identity("ca", "coordinator"));
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<Warning, bool> isRefusal = w => w.Message?.ToString()?.Contains("refused the TLS peer", StringComparison.Ordinal) == true;
        coordinator.ActorOf(Props.Create(() => new Watcher<Warning>(isRefusal, _ => refused.TrySetResult())));
        int delivered = 0;
        coordinator.ActorOf(Props.Create(() => new Counter(() => Interlocked.Increment(ref delivered))), "sink");

        var intruder = Node(ClusterNodeOptions.WorkerRole, Identity("other-ca", "intruder"), HostPort(coordinator));
        var sink = intruder.ActorSelection($"{Cluster.Get(coordinator).SelfAddress}/user/sink");
        for (int i = 0; i < 10; i++) sink.Tell(new DescribeWorker("intrusion"));
        await refused.Task.WaitAsync(Wait);

        // A node of the cluster's CA still gets through, so the sink and the coordinator work: only the intruder was kept out.
        var friend = Node(ClusterNodeOptions.WorkerRole, Identity("ca", "friend"), HostPort(coordinator));
        var reached = await friend.ActorSelection($"{Cluster.Get(coordinator).SelfAddress}/user/sink").Ask<int>(new DescribeWorker("friend"), Wait);
        Assert.Equal(1, reached);
        Assert.Equal(1, Volatile.Read(ref delivered));
        Assert.DoesNotContain(Cluster.Get(coordinator).State.Members, m => m.Address.Equals(Cluster.Get(intruder).SelfAddress));
    }

    [Fact]
    public void Config_PlainTcpBeyondLoopback_RefusedNamingTheFix()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterNode.ConfigFor(new ClusterNodeOptions { Role = "worker", Host = "10.1.2.3", Seeds = ["10.1.2.4:7071"] }));
        Assert.Contains("--cert", e.Message, StringComparison.Ordinal);
    }

    private sealed class Watcher<T> : UntypedActor
    {
        private readonly Func<T, bool> _match;
        private readonly Action<T> _hit;

        public Watcher(Func<T, bool> match, Action<T> hit)
        {
            _match = match;
            _hit = hit;
        }

        protected override void PreStart()
        {
            if (typeof(ClusterEvent.IClusterDomainEvent).IsAssignableFrom(typeof(T)))
                Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(T));
            else Context.System.EventStream.Subscribe(Self, typeof(T));
        }

        protected override void OnReceive(object message)
        {
            if (message is T t && _match(t)) _hit(t);
        }
    }

    private sealed class Describer : ReceiveActor
    {
        public Describer() => Receive<DescribeWorker>(_ => Sender.Tell(new WorkerDescribed("w1", "")));
    }

    private sealed class Counter : ReceiveActor
    {
        public Counter(Func<int> count) => Receive<DescribeWorker>(_ => Sender.Tell(count()));
    }
}
