using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Coyote.Tests;

/// <summary>A table of spec/broken/, loaded with the interpreted engine, and what its header says must be caught.</summary>
public sealed record BrokenTable(string File, IEngine Engine, Scenario Scenario, string Property, ModelOptions Model)
{
    public static IReadOnlyList<string> Files { get; } =
        Directory.GetFiles(Repo.Path("spec", "broken"), "*.spec.md").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    public static BrokenTable Load(string file)
    {
        var path = Repo.Path("spec", "broken", file);
        var header = BrokenTableHeader.Read(System.IO.File.ReadAllText(path));
        if (header is null) throw new InvalidOperationException($"{path}: no '--scenario S` must report **P**' line in its header");
        var engine = InterpretedEngine.Load(path, out var diagnostics)
            ?? throw new InvalidOperationException($"{path} does not compile: " + string.Join("; ", diagnostics.Where(d => d.Severity == SpecSeverity.Error)));
        var scenario = ScenarioCatalog.Find(header.Scenario) ?? throw new InvalidOperationException($"{path}: unknown scenario {header.Scenario}");
        // A table caught only under the untimed over-approximation says so in its command line.
        var model = new ModelOptions { UntimedTimers = header.UntimedTimers };
        return new BrokenTable(file, engine, scenario, header.Property, model);
    }
}
