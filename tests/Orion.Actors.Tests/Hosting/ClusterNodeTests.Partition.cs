// A network partition between the coordinator and a worker, made with Akka.Remote's throttler transport adapter
// (a blackhole both ways, over mutual TLS): the coordinator marks the worker unreachable, the split-brain resolver
// downs the worker's side and never the coordinator's, the worker's actor system shuts itself down, and once the
// network heals a new incarnation of the worker (a new actor system, as `orion worker` starts) joins again.
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport;
using Orion.Actors.Hosting;
using Xunit;

namespace Orion.Actors.Tests.Hosting;

public sealed partial class ClusterNodeTests
{
    /// <summary>The throttler wraps the TLS transport; a short stable-after keeps the test's wait for the resolver short.</summary>
    private static readonly Config Throttled = ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp.applied-adapters = [trttl]
        akka.cluster.split-brain-resolver.stable-after = 2s
        """);

    private static Task<T> Next<T>(ActorSystem observer, Func<T, bool> match) where T : class
    {
        var seen = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        observer.ActorOf(Props.Create(() => new Watcher<T>(match, e => seen.TrySetResult(e))));
        return seen.Task;
    }

    private static async Task Throttle(ActorSystem at, Address peer, ThrottleMode mode)
    {
        var transport = ((RemoteActorRefProvider)((ExtendedActorSystem)at).Provider).Transport;
        Assert.True(await transport.ManagementCommand(new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, mode)).WaitAsync(Wait));
    }

    [Fact]
    public async Task Partition_WorkerCutOff_IsDownedNotTheCoordinator_AndANewIncarnationRejoins()
    {
        var coordinator = Node(ClusterNodeOptions.CoordinatorRole, Identity("ca", "coordinator"), Throttled);
        var seed = Cluster.Get(coordinator).SelfAddress;
        Assert.Equal("akka.trttl.ssl.tcp", seed.Protocol);
        var workerIdentity = Identity("ca", "w1");
        var worker = Node(ClusterNodeOptions.WorkerRole, workerIdentity, Throttled, seed.ToString());
        var workerAddress = Cluster.Get(worker).SelfAddress;
        await Next<ClusterEvent.MemberUp>(coordinator, e => e.Member.Address.Equals(workerAddress)).WaitAsync(Wait);

        var unreachable = Next<ClusterEvent.UnreachableMember>(coordinator, e => e.Member.Address.Equals(workerAddress));
        var removed = Next<ClusterEvent.MemberRemoved>(coordinator, e => e.Member.Address.Equals(workerAddress));
        await Throttle(coordinator, workerAddress, Blackhole.Instance);

        await unreachable.WaitAsync(Wait);
        await removed.WaitAsync(Wait);              // the coordinator's side downed the worker
        await worker.WhenTerminated.WaitAsync(Wait); // and the worker's side downed itself, ending its actor system
        Assert.False(coordinator.WhenTerminated.IsCompleted);
        Assert.Equal(MemberStatus.Up, Cluster.Get(coordinator).SelfMember.Status);
        Assert.Equal([seed], Cluster.Get(coordinator).State.Members.Select(m => m.Address));

        await Throttle(coordinator, workerAddress, Unthrottled.Instance);
        var again = Node(ClusterNodeOptions.WorkerRole, workerIdentity, Throttled, seed.ToString());
        var againAddress = Cluster.Get(again).SelfAddress;
        var member = await Next<ClusterEvent.MemberUp>(coordinator, e => e.Member.Address.Equals(againAddress)).WaitAsync(Wait);
        Assert.True(member.Member.HasRole(ClusterNodeOptions.WorkerRole));
        Assert.NotEqual(workerAddress, againAddress);
    }
}
