extern alias generator;

using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SpecGenerator = generator::TcpSpec.Generators.SpecGenerator;

namespace TcpSpec.Benchmarks.Generator;

/// <summary>
/// The source generator on the real table, driven by Roslyn's <see cref="CSharpGeneratorDriver"/>
/// as the compiler and the IDE drive it: a full run (a new driver: parse, analyse, emit) and an
/// incremental run after an unrelated edit (a C# file changes; the table does not), which should
/// reuse every cached stage.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("generator")]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private Compilation _compilation = null!;
    private Compilation _edited = null!;
    private GeneratorDriver _warm = null!;
    private AdditionalText _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        _table = new InMemoryText(SpecTable.Path, SpecTable.Text);
        var tree = CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Answer => 42; }", ParseOptions);
        _compilation = CSharpCompilation.Create("GeneratorBenchmark", [tree], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _edited = _compilation.ReplaceSyntaxTree(tree,
            CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Answer => 43; public static int Other => 1; }", ParseOptions));
        _warm = NewDriver(track: false).RunGenerators(_compilation);
        Validate();
    }

    /// <summary>A cold driver over the table: parse, analyse and emit everything.</summary>
    [Benchmark(Description = "full run")]
    public int FullRun() => NewDriver(track: false).RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    /// <summary>A driver that already ran, after an unrelated edit to a C# file: the table's stages come from the cache.</summary>
    [Benchmark(Description = "incremental run (unrelated edit)")]
    public int IncrementalRun() => _warm.RunGenerators(_edited).GetRunResult().GeneratedTrees.Length;

    /// <summary>Both runs produce the engine without errors, and the incremental one really is served from the cache.</summary>
    private void Validate()
    {
        var full = NewDriver(track: true).RunGenerators(_compilation);
        var result = full.GetRunResult();
        if (result.GeneratedTrees.Length < 2 || result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new InvalidOperationException($"the generator produced {result.GeneratedTrees.Length} files and {result.Diagnostics.Length} diagnostics on the real table");
        var again = full.RunGenerators(_edited).GetRunResult().Results.Single();
        foreach (var step in new[] { SpecGenerator.ParseStep, SpecGenerator.AnalyzeStep })
        {
            var reasons = again.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            if (reasons.Count == 0 || reasons.Any(r => r != IncrementalStepRunReason.Cached))
                throw new InvalidOperationException($"the incremental run did not reuse step {step}: {string.Join(", ", reasons)}");
        }
        if (FullRun() != result.GeneratedTrees.Length || IncrementalRun() != result.GeneratedTrees.Length)
            throw new InvalidOperationException("the benchmark runs do not produce the generated files");
    }

    private GeneratorDriver NewDriver(bool track) =>
        CSharpGeneratorDriver.Create(
            [new SpecGenerator().AsSourceGenerator()],
            [_table],
            ParseOptions,
            new Options(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    private static ImmutableArray<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>The build properties the generator reads (the root namespace, as the runtime's build passes it).</summary>
    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private sealed class Values(bool global) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = global && key == "build_property.RootNamespace" ? "TcpSpec" : "";
                return value.Length > 0;
            }
        }

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(true);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(false);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values(false);
    }
}
