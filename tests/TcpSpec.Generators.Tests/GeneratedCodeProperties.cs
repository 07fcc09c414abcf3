using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using TcpSpec.Language;

namespace TcpSpec.Generators.Tests;

/// <summary>
/// Whenever the generator emits code, that code compiles: errors are reported at the table,
/// never as C# errors in generated files. (It emits code for a table with errors too, as long as
/// it declares states and events, so the rest of the project still sees the types.)
/// </summary>
public class GeneratedCodeProperties
{
    private static readonly string Door = GeneratorHarness.Table("door.spec.md");

    [Fact]
    public void Emitted_code_for_any_mutation_of_the_door_table_compiles()
    {
        int emitted = 0, accepted = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Mutation.Edits, edits =>
        {
            var text = Mutation.ApplyAll(Door, edits);
            var model = SpecAnalyzer.Compile("door.spec.md", text);
            var run = GeneratorHarness.Run(text, "door.spec.md", "Toys", GeneratorHarness.Tree(RuntimeStubs.For(model, "Toys")));
            Assert.Null(run.Generator.Exception);
            if (run.Sources.Count == 0) return;
            emitted++;
            if (!model.HasErrors) accepted++;
            var errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5)) + "\nfor a table with:\n" + string.Join("\n", model.Diagnostics));
        }));
        // Guard against a property that passes because it tested nothing.
        Assert.True(emitted >= 50 && accepted >= 5, $"code was emitted for {emitted} mutated tables, {accepted} of them without errors");
    }
}
