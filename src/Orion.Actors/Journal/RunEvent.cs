// The coordinator's journaled events (Akka.Persistence style, past tense): the run's identity, each committed step
// with its loss bits, checkpoints, membership and device changes. RunEventSerializer stores each as JSON under a
// stable, versioned string manifest, so a run journaled today recovers after the code changes.
using System.Text.Json;
using Orion.Engine.Model.Training;

namespace Orion.Actors.Journal;

public abstract record RunEvent
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string TypeName => GetType().Name;
}

/// <summary>The first event of a run: everything that fixes its arithmetic.</summary>
/// <param name="Bf16Gradients">Every shard's gradient is rounded to bf16 before the sum (and travels as bf16 in a fleet).
/// Absent in journals written before the option: fp32.</param>
public sealed record RunStarted(string RunId, string Model, JsonElement Config, TrainingOptions Options, string Data, long DataTokens, string Tokenizer, int Shards, bool Bf16Gradients = false) : RunEvent;

/// <summary>Step <paramref name="Step"/> is final: its loss (as float32 bits), learning rate and who computed it.</summary>
public sealed record StepCommitted(long Step, int LossBits, float LearningRate, bool Skipped, float LossScale, long Tokens, string[] Workers) : RunEvent;

public sealed record CheckpointSaved(long Step, string Folder, string WeightsHash) : RunEvent;

public sealed record MembershipChanged(string Worker, bool Joined, string Detail) : RunEvent;

/// <summary>A worker's device fingerprint changed (an OS update): programs were invalidated and recompiled.</summary>
public sealed record DeviceChanged(string Worker, string Old, string New) : RunEvent;

public sealed record RunCompleted(long Step, string WeightsHash) : RunEvent;

/// <summary>
/// The run's total step count changed on a resume (`--steps` grew): the learning-rate schedule depends on it, so steps
/// journaled before this event replay with the old count and steps after it train with <paramref name="Steps"/>.
/// </summary>
public sealed record StepsChanged(int From, int Steps) : RunEvent;
