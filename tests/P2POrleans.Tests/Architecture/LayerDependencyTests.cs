using System.Reflection;
using System.Xml.Linq;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.Tests.Architecture;

/// <summary>
/// The layers of docs/architecture.md, read from what the compiler emitted: an assembly references
/// another only when its code uses a type of it, so these fail on the first grain class the console
/// or the model names, however it is spelled.
/// </summary>
public sealed class LayerDependencyTests
{
    [Fact]
    public void The_console_uses_the_interfaces_the_model_and_the_hosting_entry_point_but_no_grain_class()
    {
        var references = P2PReferences(typeof(P2PCli).Assembly);

        Assert.DoesNotContain("P2POrleans.Grains", references);
        Assert.Contains("P2POrleans.GrainInterfaces", references);
        Assert.Contains("P2POrleans.Model", references);
        Assert.Contains("P2POrleans.Hosting", references);
    }

    [Fact]
    public void The_console_project_has_no_reference_to_the_grains_project()
    {
        var project = XDocument.Load(Path.Combine(ProtocolDependencyTests.RepoRoot(), "src", "Client", "P2POrleans.Client.csproj"));
        var referenced = project.Descendants("ProjectReference").Select(r => Path.GetFileName(((string)r.Attribute("Include")!).Replace('\\', '/'))).ToList();

        Assert.Contains("P2POrleans.Hosting.csproj", referenced);
        Assert.DoesNotContain("P2POrleans.Grains.csproj", referenced);
    }

    [Fact]
    public void The_model_is_pure_it_knows_the_interfaces_only()
    {
        var references = P2PReferences(typeof(SimulatedHosts).Assembly);

        Assert.Equal(["P2POrleans.GrainInterfaces"], references);
        Assert.Equal("P2POrleans.Model", typeof(SimulatedHosts).Assembly.GetName().Name);
    }

    [Fact]
    public void The_grains_know_neither_the_console_nor_the_hosting()
    {
        var references = P2PReferences(typeof(OverlayProtocols).Assembly);

        Assert.DoesNotContain("P2POrleans.Client", references);
        Assert.DoesNotContain("P2POrleans.Hosting", references);
        Assert.Contains("P2POrleans.Model", references);
    }

    private static List<string> P2PReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("P2POrleans.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
