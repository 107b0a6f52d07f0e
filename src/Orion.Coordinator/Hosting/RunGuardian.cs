// The parent of a run's coordinator: its supervisor strategy turns any failure of the coordinator (a journal that
// disagrees, a shard that fails on every attempt, a simulated crash) into the run's outcome and stops it. Restarting
// would recover and replay the same failure again; the user reruns the command once the cause is fixed.
using Akka.Actor;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator.Hosting;

internal sealed class RunGuardian : ReceiveActor
{
    private readonly TaskCompletionSource<TrainingState> _completion;

    public RunGuardian(CoordinatorSettings settings, TaskCompletionSource<TrainingState> completion)
    {
        _completion = completion;
        var coordinator = Context.ActorOf(CoordinatorActor.Props(settings, completion), ClusterHost.CoordinatorName);
        Context.Watch(coordinator);
        Receive<Terminated>(_ => Context.Stop(Self));
        ReceiveAny(m => coordinator.Forward(m));
    }

    public static Props Props(CoordinatorSettings settings, TaskCompletionSource<TrainingState> completion) =>
        Akka.Actor.Props.Create(() => new RunGuardian(settings, completion));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(error =>
    {
        _completion.TrySetException(error is ActorInitializationException { InnerException: { } inner } ? inner : error);
        return Directive.Stop;
    });
}
