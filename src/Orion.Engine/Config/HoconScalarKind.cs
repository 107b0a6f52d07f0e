// The JSON simple-value types a HOCON scalar can have (HOCON.md "Unchanged from JSON").
namespace Orion.Engine.Config;

public enum HoconScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}
