// [ContractFact]: a contract test that runs for every device class, except that a class marked
// [RequiresAppleNeuralEngine] is skipped, with the reason, on a machine without the real ANE. xunit 2 has no
// runtime skip, so a discoverer decides per concrete class.
using System.Reflection;
using Orion.Engine.Ane;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orion.Engine.Tests.Ane;

[XunitTestCaseDiscoverer("Orion.Engine.Tests.Ane.ContractFactDiscoverer", "Orion.Engine.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>The device class under test drives the real Apple Neural Engine.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresAppleNeuralEngineAttribute : Attribute
{
    /// <summary>Null when this machine can run the real device, else why not.</summary>
    public static string? SkipReason(HostFacts host)
    {
        var why = DeviceSelection.WhyNoAne(host);
        return why is null ? null : $"the IAneDevice contract against the real ANE runs only on Apple silicon macOS: {why}";
    }
}

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new ContractTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>
/// A contract test case whose skip reason is worked out from the concrete class and the host each time the case is
/// initialised (after discovery and again after deserialisation), so nothing extra needs serialising.
/// </summary>
public sealed class ContractTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ContractTestCase() { }

    public ContractTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method)
        : base(sink, display, displayOptions, method) { }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        var type = TestMethod.TestClass.Class.ToRuntimeType();
        if (type?.GetCustomAttribute<RequiresAppleNeuralEngineAttribute>() is not null)
        {
            var reason = RequiresAppleNeuralEngineAttribute.SkipReason(HostFacts.Current());
            if (reason is not null) return reason;
        }
        return base.GetSkipReason(factAttribute);
    }
}
