using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace TcpSpec.Generators.Tests;

/// <summary>
/// The door table's generated code compiles against a hand-written context and hand-written
/// guards and actions, as a consumer would write them, and its dispatcher runs the rows the table says.
/// </summary>
public class GeneratedCodeCompilesTests
{
    private const string DoorRuntime = """
        namespace Toys;

        public struct DoorContext
        {
            public bool HasKey;
            public bool Strong;
            public string Log;
            public DoorState State;
            public int Row;
        }

        public static partial class DoorMachine
        {
            internal static partial bool HasKey(ref DoorContext ctx) => ctx.HasKey;
            internal static partial bool Strong(ref DoorContext ctx) => ctx.Strong;
            internal static partial void Swing(ref DoorContext ctx) => ctx.Log += "Swing;";
            internal static partial void Turn(ref DoorContext ctx) => ctx.Log += "Turn;";
            internal static partial void Beep(ref DoorContext ctx) => ctx.Log += "Beep;";
            internal static partial void Repair(ref DoorContext ctx) => ctx.Log += "Repair;";
            internal static partial void Enter(ref DoorContext ctx, DoorState next, int row)
            {
                ctx.State = next;
                ctx.Row = row;
            }
        }
        """;

    [Fact]
    public void Door_code_compiles_with_a_hand_written_runtime()
    {
        var run = CompileDoor();
        var errors = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Tcp_code_compiles_with_a_stub_runtime()
    {
        var text = GeneratorHarness.TcpSpecText;
        var stubs = RuntimeStubs.For(TcpSpec.Language.SpecAnalyzer.Compile(GeneratorHarness.TcpPath, text), "TcpSpec");
        var run = GeneratorHarness.Run(text, GeneratorHarness.TcpPath, null, GeneratorHarness.Tree(stubs));
        Assert.Empty(run.Diagnostics);
        var problems = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("specs/door(1).spec.md", "Door1")]
    [InlineData("specs/front+back door.spec.md", "FrontBackDoor")]
    [InlineData("specs/.spec.md", "Spec")]
    public void Any_file_name_gives_compilable_type_names(string path, string machine)
    {
        var text = GeneratorHarness.Table("door.spec.md");
        var stubs = RuntimeStubs.For(TcpSpec.Language.SpecAnalyzer.Compile(path, text), "Toys");
        var run = GeneratorHarness.Run(text, path, "Toys", GeneratorHarness.Tree(stubs));
        Assert.Contains($"{machine}.Dispatch.g.cs", run.Sources.Keys);
        Assert.NotNull(run.Output.GetTypeByMetadataName($"Toys.{machine}Machine"));
        var errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Door_code_does_not_compile_without_the_runtime_parts()
    {
        // The partial methods are declared without bodies: a missing implementation is a compile error.
        var run = GeneratorHarness.Run(GeneratorHarness.Table("door.spec.md"), "door.spec.md", "Toys",
            GeneratorHarness.Tree("namespace Toys; public struct DoorContext { }"));
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS8795"); // partial method must have an implementation
    }

    [Theory]
    [InlineData("CLOSED", "PUSH", false, false, "OPEN", 1, "Swing;")]
    [InlineData("CLOSED", "LOCK", true, false, "LOCKED", 3, "Turn;")]
    [InlineData("CLOSED", "LOCK", false, false, "CLOSED", 6, "Beep;")]          // unguarded row after a guarded one
    [InlineData("LOCKED", "KICK", false, true, "JAMMED", 5, "")]              // Strong and not HasKey, no actions
    [InlineData("LOCKED", "KICK", true, true, "LOCKED", 6, "Beep;")]
    [InlineData("JAMMED", "PULL", false, true, "CLOSED", 7, "Repair;Swing;")] // actions run left to right
    [InlineData("JAMMED", "PULL", false, false, "JAMMED", 8, "Beep;")]
    [InlineData("OPEN", "PUSH", false, false, "OPEN", 9, "Beep;")]           // the * row, 'same'
    [InlineData("LOCKED", "PUSH", false, false, "LOCKED", 9, "Beep;")]
    public void Door_dispatcher_runs_the_first_row_whose_guard_holds(string state, string evt, bool hasKey, bool strong, string next, int row, string log)
    {
        var assembly = Load(CompileDoor().Output);
        var stateType = assembly.GetType("Toys.DoorState")!;
        var eventType = assembly.GetType("Toys.DoorEvent")!;
        var contextType = assembly.GetType("Toys.DoorContext")!;
        var table = (TcpSpec.Language.MachineModel)assembly.GetType("Toys.DoorMachine")!.GetProperty("Table")!.GetValue(null)!;
        var names = table.States.Select(d => d.Name).ToList();
        var eventNames = table.Events.Select(d => d.Name).ToList();

        object ctx = Activator.CreateInstance(contextType)!;
        contextType.GetField("HasKey")!.SetValue(ctx, hasKey);
        contextType.GetField("Strong")!.SetValue(ctx, strong);
        contextType.GetField("Log")!.SetValue(ctx, "");
        var args = new[] { Enum.ToObject(stateType, IndexOf(names, state)), Enum.ToObject(eventType, IndexOf(eventNames, evt)), ctx };
        var result = (int)assembly.GetType("Toys.DoorMachine")!.GetMethod("Dispatch")!.Invoke(null, args)!;

        ctx = args[2];
        Assert.Equal(row, result);
        Assert.Equal(row, (int)contextType.GetField("Row")!.GetValue(ctx)!);
        Assert.Equal(IndexOf(names, next), Convert.ToInt32(contextType.GetField("State")!.GetValue(ctx)));
        Assert.Equal(log, (string)contextType.GetField("Log")!.GetValue(ctx)!);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        int i = names.ToList().IndexOf(name);
        Assert.True(i >= 0, $"{name} is not declared");
        return i;
    }

    private static GeneratorRun CompileDoor()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Table("door.spec.md"), "tests/Tables/door.spec.md", "Toys", GeneratorHarness.Tree(DoorRuntime));
        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Diagnostics);
        return run;
    }

    private static Assembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext("door", isCollectible: true).LoadFromStream(image);
    }
}
