using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TcpSpec.Generators.Tests;

/// <summary>A spec file held in memory, as MSBuild would hand it to the generator.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Global analyzer options: what <c>build_property.*</c> values the build would pass.</summary>
internal sealed class GlobalOptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
{
    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            if (values.TryGetValue(key, out var v)) { value = v; return true; }
            value = "";
            return false;
        }
    }

    private static readonly Options None = new(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => None;
}

/// <summary>One run of the generator: the driver (to run again), its result and the compilation with the generated code.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output)
{
    public GeneratorRunResult Generator => Result.Results.Single();

    /// <summary>The diagnostics the generator reported (spec errors and warnings).</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Generator.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    public Diagnostic Single(string id) => Assert.Single(Diagnostics, d => d.Id == id);
}

/// <summary>Drives <see cref="SpecGenerator"/> with <see cref="CSharpGeneratorDriver"/> over in-memory spec files.</summary>
internal static class GeneratorHarness
{
    /// <summary>The path the real table has in the build; diagnostics name it.</summary>
    public const string TcpPath = "spec/tcp.spec.md";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(System.IO.Path.PathSeparator)
            .Where(p => System.IO.Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "netstandard.dll" or "mscorlib.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            // The model's types (TcpSpec.Language), as the runtime has them: the generator then emits the table as data.
            .Append(MetadataReference.CreateFromFile(typeof(TcpSpec.Language.MachineModel).Assembly.Location))
            .ToImmutableArray());

    public static CSharpCompilation Compilation(params SyntaxTree[] trees) =>
        CSharpCompilation.Create("GeneratorTests", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static SyntaxTree Tree(string code) => CSharpSyntaxTree.ParseText(code, ParseOptions);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> specs, string? rootNamespace = null)
    {
        var options = new Dictionary<string, string>();
        if (rootNamespace is not null) options["build_property.RootNamespace"] = rootNamespace;
        return CSharpGeneratorDriver.Create(
            new[] { new SpecGenerator().AsSourceGenerator() },
            specs,
            ParseOptions,
            new GlobalOptionsProvider(options),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs the generator once over one spec file and an otherwise empty compilation.</summary>
    public static GeneratorRun Run(string specText, string path = TcpPath, string? rootNamespace = null, params SyntaxTree[] trees) =>
        Run(CreateDriver(new[] { new InMemoryAdditionalText(path, specText) }, rootNamespace), Compilation(trees));

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), output);
    }

    /// <summary>The real table's text.</summary>
    public static string TcpSpecText => File.ReadAllText(TcpSpec.Testing.Repo.SpecFile);

    /// <summary>A table from <c>tests/TcpSpec.Generators.Tests/Tables</c>.</summary>
    public static string Table(string fileName) => File.ReadAllText(TablePath(fileName));

    public static string TablePath(string fileName) => TcpSpec.Testing.Repo.Path("tests", "TcpSpec.Generators.Tests", "Tables", fileName);

    public static string SnapshotDirectory => TcpSpec.Testing.Repo.Path("tests", "TcpSpec.Generators.Tests", "Snapshots");
}
