// Finds the fleet's workers from Akka.Cluster membership (architecture.md, Cluster): a member with the worker role
// that is up is identified (its gateway at /user/worker), asked its name, and handed to the coordinator as a
// RemoteWorkerProxy. An unreachable member loses its slot at once (its shards are reassigned without waiting for the
// split-brain resolver to down it); a removed one likewise. A member that becomes reachable again is found again.
// Every member, whatever its role, is also published to the status board (GET /status: roles, status, reachability).
using Akka.Actor;
using Akka.Cluster;
using Orion.Actors.DataPlane;
using Orion.Actors.Hosting;
using Orion.Actors.Protocol;

namespace Orion.Coordinator.Fleet;

public sealed class FleetMembership : ReceiveActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Ask: completes (with true) once no worker is a member any more, e.g. after the run ended.</summary>
    public sealed record AwaitWorkersGone;

    private sealed record Retry(Address Address, int Attempt);

    private sealed record Retire(IActorRef Proxy);

    /// <summary>
    /// A lost worker's proxy outlives its WorkerLeft by this much: the coordinator watches the proxy directly but hears
    /// WorkerLeft through the singleton proxy, so stopping it at once would let "its actor stopped" overtake the reason.
    /// </summary>
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(30);

    private const int MaxIdentifyAttempts = 30;

    private readonly Dictionary<Address, (IActorRef Proxy, string Name)> _workers = [];
    private readonly SortedDictionary<Address, Member> _all = new(Comparer<Address>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));
    private readonly HashSet<Address> _unreachable = [];
    private readonly StatusBoard? _board;
    private readonly HashSet<Address> _members = [];
    private readonly List<IActorRef> _goneWaiters = [];
    private readonly Dictionary<string, (Address, int)> _identifying = [];
    private readonly IActorRef _coordinator;
    private readonly TensorStore _store;
    private readonly string _runId;
    private readonly Action<string> _log;
    private int _proxies;

    public FleetMembership(IActorRef coordinator, TensorStore store, string runId, Action<string> log, StatusBoard? board = null)
    {
        _board = board;
        _coordinator = coordinator;
        _store = store;
        _runId = runId;
        _log = log;
        Receive<ClusterEvent.MemberUp>(m => { Track(m.Member, reachable: null); Found(m.Member); });
        Receive<ClusterEvent.ReachableMember>(m => { Track(m.Member, reachable: true); Found(m.Member); });
        Receive<ClusterEvent.UnreachableMember>(m => { Track(m.Member, reachable: false); Lost(m.Member.Address, "unreachable: the failure detector missed its heartbeats", removed: false); });
        Receive<ClusterEvent.MemberRemoved>(m => { Track(m.Member, reachable: null, removed: true); Lost(m.Member.Address, "removed from the cluster", removed: true); });
        Receive<ClusterEvent.IMemberEvent>(m => Track(m.Member, reachable: null));
        Receive<ClusterEvent.IReachabilityEvent>(_ => { });
        Receive<Retry>(r => Identify(r.Address, r.Attempt));
        Receive<Retire>(r => Context.Stop(r.Proxy));
        Receive<ActorIdentity>(OnIdentity);
        Receive<WorkerDescribed>(OnDescribed);
        Receive<AwaitWorkersGone>(_ =>
        {
            if (_members.Count == 0) Sender.Tell(true);
            else _goneWaiters.Add(Sender);
        });
    }

    public static Props Props(IActorRef coordinator, TensorStore store, string runId, Action<string> log, StatusBoard? board = null) =>
        Akka.Actor.Props.Create(() => new FleetMembership(coordinator, store, runId, log, board));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    /// <summary>Keeps the member table the status board shows; <paramref name="reachable"/> null leaves reachability as it was.</summary>
    private void Track(Member member, bool? reachable, bool removed = false)
    {
        if (removed)
        {
            _all.Remove(member.Address);
            _unreachable.Remove(member.Address);
        }
        else
        {
            _all[member.Address] = member;
            if (reachable == false) _unreachable.Add(member.Address);
            else if (reachable == true) _unreachable.Remove(member.Address);
        }
        _board?.PublishMembers([.. _all.Values.Select(m => new ClusterMemberStatus(
            m.Address.ToString(), [.. m.Roles.Order(StringComparer.Ordinal)], m.Status.ToString().ToLowerInvariant(), !_unreachable.Contains(m.Address)))]);
    }

    private void Found(Member member)
    {
        if (!member.HasRole(ClusterNodeOptions.WorkerRole) || member.Status != MemberStatus.Up) return;
        _members.Add(member.Address);
        if (!_workers.ContainsKey(member.Address)) Identify(member.Address, 1);
    }

    private void Identify(Address address, int attempt)
    {
        if (!_members.Contains(address) || _workers.ContainsKey(address)) return;
        // The message id travels to the worker and back: a string, which every node can serialize.
        _identifying[address.ToString()] = (address, attempt);
        Context.ActorSelection(new RootActorPath(address) / "user" / "worker").Tell(new Identify(address.ToString()));
    }

    private void OnIdentity(ActorIdentity identity)
    {
        if (identity.MessageId is not string key || !_identifying.Remove(key, out var id)) return;
        if (identity.Subject is { } gateway) gateway.Tell(new DescribeWorker(_runId));
        else if (id.Item2 < MaxIdentifyAttempts) // the node is up but its gateway is not started yet
            Timers.StartSingleTimer(id.Item1, new Retry(id.Item1, id.Item2 + 1), TimeSpan.FromMilliseconds(200 * Math.Min(id.Item2, 10)));
        else _log($"cluster member {id.Item1} has the worker role but no worker gateway; ignoring it");
    }

    private void OnDescribed(WorkerDescribed d)
    {
        var address = Sender.Path.Address;
        if (!_members.Contains(address) || _workers.ContainsKey(address)) return;
        var proxy = Context.ActorOf(RemoteWorkerProxy.Props(Sender, d.Worker, _coordinator, _store), $"worker-{++_proxies}");
        _workers[address] = (proxy, d.Worker);
        _coordinator.Tell(new WorkerJoined(d.Worker, proxy, address.ToString(), () => _store.BytesReceived + _store.BytesSent));
    }

    private void Lost(Address address, string reason, bool removed)
    {
        if (removed && _members.Remove(address) && _members.Count == 0)
        {
            foreach (var w in _goneWaiters) w.Tell(true);
            _goneWaiters.Clear();
        }
        if (!_workers.Remove(address, out var w2)) return;
        _coordinator.Tell(new WorkerLeft(w2.Name, reason, w2.Proxy));
        Timers.StartSingleTimer(w2.Proxy.Path.Name, new Retire(w2.Proxy), RetireAfter);
    }
}
