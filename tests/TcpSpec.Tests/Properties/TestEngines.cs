using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Tests.Properties;

/// <summary>The interpreted engine over the real table, loaded once.</summary>
public static class TestEngines
{
    private static readonly Lazy<InterpretedEngine> Loaded = new(() =>
    {
        var engine = InterpretedEngine.Load(Repo.SpecFile, out var diagnostics);
        var errors = diagnostics.Where(d => d.Severity == SpecSeverity.Error).ToList();
        Assert.True(engine is not null && errors.Count == 0, "the real table does not load: " + string.Join("\n", errors));
        return engine!;
    });

    public static InterpretedEngine Interpreted => Loaded.Value;

    public static IEngine Generated => GeneratedEngine.Instance;
}
