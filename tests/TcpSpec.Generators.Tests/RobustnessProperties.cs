using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using TcpSpec.Language;

namespace TcpSpec.Generators.Tests;

/// <summary>
/// The spec compiler never fails on bad input: whatever the text, it answers with diagnostics
/// (never TSPEC000, the internal error), and every diagnostic points inside the file.
/// </summary>
public class RobustnessProperties
{
    private const int Cases = 200;
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(Cases);
    private static readonly string Tcp = GeneratorHarness.TcpSpecText;
    private static readonly string Door = GeneratorHarness.Table("door.spec.md");

    [Fact]
    public void Random_strings_compile_without_an_internal_error() =>
        Check.One(Quick, Prop.ForAll(ArbMap.Default.ArbFor<string>(), AssertCompiles));

    [Fact]
    public void Table_like_strings_compile_without_an_internal_error() =>
        Check.One(Quick, Prop.ForAll(Mutation.TableLike, AssertCompiles));

    [Fact]
    public void Mutations_of_the_real_table_compile_without_an_internal_error() =>
        Check.One(Quick, Prop.ForAll(Mutation.Edits, edits => AssertCompiles(Mutation.ApplyAll(Tcp, edits))));

    [Fact]
    public void Mutations_of_the_door_table_compile_without_an_internal_error() =>
        Check.One(Quick, Prop.ForAll(Mutation.Edits, edits => AssertCompiles(Mutation.ApplyAll(Door, edits))));

    [Fact]
    public void The_generator_never_throws_on_mutations_of_the_real_table() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Mutation.Edits, edits =>
        {
            var text = Mutation.ApplyAll(Tcp, edits);
            var run = GeneratorHarness.Run(text);
            Assert.Null(run.Generator.Exception);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "TSPEC000");
            AssertInside(run.Diagnostics, text);
        }));

    private static void AssertCompiles(string? maybeText)
    {
        var model = SpecAnalyzer.Compile("spec/fuzz.spec.md", maybeText);
        var text = maybeText ?? "";
        Assert.DoesNotContain(model.Diagnostics, d => d.Id == SpecRules.InternalError.Id);
        int lines = text.Split('\n').Length;
        Assert.All(model.Diagnostics, d =>
        {
            Assert.InRange(d.Location.Line, 1, lines);
            Assert.True(d.Location.Column >= 1, d.ToString());
            Assert.InRange(d.Location.Start, 0, text.Length);
            Assert.InRange(d.Location.Start + d.Location.Length, 0, Math.Max(1, text.Length));
        });
    }

    private static void AssertInside(IEnumerable<Diagnostic> diagnostics, string text)
    {
        int lines = text.Split('\n').Length;
        Assert.All(diagnostics, d =>
        {
            var span = d.Location.GetLineSpan();
            Assert.InRange(span.StartLinePosition.Line, 0, lines - 1);
            Assert.InRange(d.Location.SourceSpan.End, 0, Math.Max(1, text.Length));
        });
    }
}
