// The coordinator's journaled events (Akka.Persistence style, past tense): the run's identity, each committed step
// with its loss bits, checkpoints, membership and device changes. Stored as JSON, one event per journal row.
using System.Text.Json;
using System.Text.Json.Serialization;
using Orion.Actors.Persistence;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator.Journal;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "$event")]
[JsonDerivedType(typeof(RunStarted), "run-started")]
[JsonDerivedType(typeof(StepCommitted), "step-committed")]
[JsonDerivedType(typeof(CheckpointSaved), "checkpoint-saved")]
[JsonDerivedType(typeof(MembershipChanged), "membership-changed")]
[JsonDerivedType(typeof(DeviceChanged), "device-changed")]
[JsonDerivedType(typeof(RunCompleted), "run-completed")]
public abstract record RunEvent
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string TypeName => GetType().Name;

    public JournalEvent ToJournal(long sequence) => new(sequence, TypeName, JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public static RunEvent FromJournal(JournalEvent e, string journal)
    {
        ArgumentNullException.ThrowIfNull(e);
        try
        {
            return JsonSerializer.Deserialize<RunEvent>(e.Payload, Json) ?? throw new JsonException("null event");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"{journal}: event #{e.Sequence} ({e.Type}) cannot be read ({ex.Message}); the journal is damaged or was written by an incompatible version", ex);
        }
    }
}

/// <summary>The first event of a run: everything that fixes its arithmetic.</summary>
public sealed record RunStarted(string RunId, string Model, JsonElement Config, TrainingOptions Options, string Data, long DataTokens, string Tokenizer, int Shards) : RunEvent;

/// <summary>Step <paramref name="Step"/> is final: its loss (as float32 bits), learning rate and who computed it.</summary>
public sealed record StepCommitted(long Step, int LossBits, float LearningRate, bool Skipped, float LossScale, long Tokens, string[] Workers) : RunEvent;

public sealed record CheckpointSaved(long Step, string Folder, string WeightsHash) : RunEvent;

public sealed record MembershipChanged(string Worker, bool Joined, string Detail) : RunEvent;

/// <summary>A worker's device fingerprint changed (an OS update): programs were invalidated and recompiled.</summary>
public sealed record DeviceChanged(string Worker, string Old, string New) : RunEvent;

public sealed record RunCompleted(long Step, string WeightsHash) : RunEvent;
