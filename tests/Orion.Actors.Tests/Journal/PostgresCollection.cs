// The xunit collection of every PostgreSQL test: one server (private or ORION_TEST_POSTGRES) for all of them, and
// its tests run one at a time, so a test's injected fault (a trigger) never meets another test's appends.
using Xunit;

namespace Orion.Actors.Tests.Journal;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostgreSQL";
}
