// Cluster runs share two slow cores: one at a time, so a coordinator's shard timeout never races another test's load.
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
