using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TcpSpec.Generators.Tests;

/// <summary>
/// The generator's stages cache on value-equal models: an edit that changes nothing relevant
/// does not re-analyse the table or re-emit code. (The approach of NetEscapades.EnumGenerators' TestHelpers.)
/// </summary>
public class IncrementalTests
{
    private static readonly string[] TrackedSteps = { SpecGenerator.ParseStep, SpecGenerator.AnalyzeStep };

    [Fact]
    public void Adding_an_unrelated_syntax_tree_reuses_every_step()
    {
        var first = GeneratorHarness.Run(GeneratorHarness.TcpSpecText);
        var second = GeneratorHarness.Run(first.Driver, first.Output.AddSyntaxTrees(GeneratorHarness.Tree("class Unrelated { }")));

        AssertReasons(second, SpecGenerator.ParseStep, IncrementalStepRunReason.Cached);
        AssertReasons(second, SpecGenerator.AnalyzeStep, IncrementalStepRunReason.Cached);
        AssertReasons(second, SpecGenerator.NamespaceStep, IncrementalStepRunReason.Cached);
        // The compilation changed, so whether it has the model's types is asked again, with the same answer.
        AssertReasons(second, SpecGenerator.ModelTypeStep, IncrementalStepRunReason.Unchanged);
        AssertSameSources(first, second);
    }

    [Fact]
    public void Trailing_spaces_on_the_last_prose_line_rerun_Parse_with_an_unchanged_result()
    {
        var text = GeneratorHarness.TcpSpecText;
        var edited = text.TrimEnd('\n') + "   \n";
        Assert.NotEqual(text, edited);
        AssertIrrelevantEdit(text, edited);
    }

    [Fact]
    public void Rewording_prose_before_the_tables_without_moving_them_is_unchanged()
    {
        var text = GeneratorHarness.TcpSpecText;
        // Same length, so every table keeps its line, column and offset.
        var edited = SpecText.Edit(text, "The prose is documentation;", "This prose is documentation");
        AssertIrrelevantEdit(text, edited);
    }

    [Fact]
    public void Editing_a_row_modifies_Analyze_and_the_generated_code()
    {
        var text = GeneratorHarness.TcpSpecText;
        var edited = SpecText.Edit(text,
            "| TIME-WAIT | ACK | — | Drop | same |",
            "| TIME-WAIT | ACK | — | SendAck | same |");
        var (first, second) = RunTwice(text, edited);

        AssertReasons(second, SpecGenerator.ParseStep, IncrementalStepRunReason.Modified);
        AssertReasons(second, SpecGenerator.AnalyzeStep, IncrementalStepRunReason.Modified);
        Assert.Empty(second.Diagnostics);
        Assert.NotEqual(first.Sources["Tcp.Dispatch.g.cs"], second.Sources["Tcp.Dispatch.g.cs"]);
        Assert.Equal(first.Sources["Tcp.Enums.g.cs"], second.Sources["Tcp.Enums.g.cs"]);
    }

    [Fact]
    public void Changing_the_root_namespace_reruns_only_the_output()
    {
        var spec = new InMemoryAdditionalText(GeneratorHarness.TcpPath, GeneratorHarness.TcpSpecText);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new[] { spec }, "First"), GeneratorHarness.Compilation());
        var driver = first.Driver.WithUpdatedAnalyzerConfigOptions(new GlobalOptionsProvider(new Dictionary<string, string> { ["build_property.RootNamespace"] = "Second" }));
        var second = GeneratorHarness.Run(driver, GeneratorHarness.Compilation());

        AssertReasons(second, SpecGenerator.AnalyzeStep, IncrementalStepRunReason.Cached);
        AssertReasons(second, SpecGenerator.NamespaceStep, IncrementalStepRunReason.Modified);
        Assert.Contains("\nnamespace Second;\n", second.Sources["Tcp.Enums.g.cs"], StringComparison.Ordinal);
    }

    private static void AssertIrrelevantEdit(string text, string edited)
    {
        var (first, second) = RunTwice(text, edited);

        // The file changed, so Parse ran again, but what it produced equals the last result ...
        AssertReasons(second, SpecGenerator.ParseStep, IncrementalStepRunReason.Unchanged);
        // ... so the analysis was not redone and the code not re-emitted.
        AssertReasons(second, SpecGenerator.AnalyzeStep, IncrementalStepRunReason.Cached);
        foreach (var step in TrackedSteps)
        {
            Assert.All(Outputs(second, step), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }
        AssertSameSources(first, second);
    }

    private static (GeneratorRun First, GeneratorRun Second) RunTwice(string text, string edited)
    {
        var original = new InMemoryAdditionalText(GeneratorHarness.TcpPath, text);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new[] { original }), GeneratorHarness.Compilation());
        var driver = first.Driver.ReplaceAdditionalText(original, new InMemoryAdditionalText(GeneratorHarness.TcpPath, edited));
        return (first, GeneratorHarness.Run(driver, first.Output));
    }

    private static ImmutableArray<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string step)
    {
        Assert.True(run.Generator.TrackedSteps.TryGetValue(step, out var steps), $"step {step} did not run");
        return steps.SelectMany(s => s.Outputs).ToImmutableArray();
    }

    private static void AssertReasons(GeneratorRun run, string step, IncrementalStepRunReason expected)
    {
        var outputs = Outputs(run, step);
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(expected, o.Reason));
    }

    private static void AssertSameSources(GeneratorRun first, GeneratorRun second)
    {
        Assert.Equal(3, first.Sources.Count);
        Assert.Equal(first.Sources.OrderBy(kv => kv.Key), second.Sources.OrderBy(kv => kv.Key));
    }
}
