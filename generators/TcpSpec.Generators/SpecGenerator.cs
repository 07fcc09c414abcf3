using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TcpSpec.Generators.Emit;
using TcpSpec.Language;

namespace TcpSpec.Generators;

/// <summary>
/// Compiles every <c>*.spec.md</c> AdditionalFile into a dispatch engine:
/// AdditionalFiles → Parse → Analyze → Emit (enums, dispatcher, and the analysed table as data). Each stage works on value-equal plain data, so an
/// edit that changes nothing relevant leaves the later stages cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public const string ParseStep = "Parse";
    public const string AnalyzeStep = "Analyze";
    public const string NamespaceStep = "Namespace";
    public const string ModelTypeStep = "ModelType";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var documents = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".spec.md", StringComparison.OrdinalIgnoreCase))
            .Select(static (f, ct) => SpecParser.Parse(f.Path, f.GetText(ct)?.ToString()))
            .WithTrackingName(ParseStep);

        var machines = documents
            .Select(static (doc, _) => SpecAnalyzer.Analyze(doc))
            .WithTrackingName(AnalyzeStep);

        var ns = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => o.GlobalOptions.TryGetValue("build_property.RootNamespace", out var v) && !string.IsNullOrWhiteSpace(v) ? v : "TcpSpec")
            .WithTrackingName(NamespaceStep);

        // The runtime compiles Language/ and gets the table as data; a compilation without the model's types gets the dispatcher only.
        var withTable = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName(TableEmitter.ModelType) is not null)
            .WithTrackingName(ModelTypeStep);

        context.RegisterSourceOutput(machines.Combine(ns).Combine(withTable), static (spc, pair) => Execute(spc, pair.Left.Left, pair.Left.Right, pair.Right));
    }

    private static void Execute(SourceProductionContext spc, MachineModel model, string ns, bool withTable)
    {
        foreach (var d in model.Diagnostics) spc.ReportDiagnostic(ToRoslyn(d));
        if (model.States.Count == 0 || model.Events.Count == 0) return;
        try
        {
            foreach (var (hint, source) in MachineEmitter.Emit(model, ns, withTable))
            {
                spc.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            spc.ReportDiagnostic(ToRoslyn(SpecRules.Create(SpecRules.InternalError, new SpecLocation(model.Path, 1, 1, 0, 0), ex.Message)));
        }
    }

    private static readonly ImmutableDictionary<string, DiagnosticDescriptor> Descriptors = SpecRules.All.ToImmutableDictionary(
        r => r.Id,
        r => new DiagnosticDescriptor(r.Id, r.Title, "{0}", "TcpSpec",
            r.Severity == SpecSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true, description: r.Help));

    internal static Diagnostic ToRoslyn(SpecDiagnostic d)
    {
        var l = d.Location;
        var start = new LinePosition(Math.Max(0, l.Line - 1), Math.Max(0, l.Column - 1));
        var end = new LinePosition(start.Line, start.Character + Math.Max(0, l.Length));
        var location = Location.Create(l.Path, new TextSpan(Math.Max(0, l.Start), Math.Max(0, l.Length)), new LinePositionSpan(start, end));
        return Diagnostic.Create(Descriptors[d.Id], location, d.Message);
    }
}
