using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Tests.Properties.Model;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// The generated engine and the interpreted engine (the same table parsed at run time) decide
/// every step alike: same row, same resulting endpoint, same segments, timer commands and
/// notices, on random runs from every state.
/// </summary>
public class EngineAgreementProperties
{
    [Theory]
    [MemberData(nameof(StartStates.States), MemberType = typeof(StartStates))]
    public void Generated_and_interpreted_engines_agree(TcpState state)
    {
        var interpreted = TestEngines.Interpreted;
        var property = Prop.ForAll(Generators.ArbRuns(state), run =>
        {
            var generated = new TcpRuntime(TestEngines.Generated, run.Config);
            var reference = new TcpRuntime(interpreted, run.Config);
            var g = run.Start.Endpoint;
            var i = run.Start.Endpoint;
            for (int k = 0; k < run.Ops.Count; k++)
            {
                var op = run.Ops[k];
                var before = g;
                var a = StepOutcome.Of(op.Apply(generated, ref g), g, generated.Effects);
                var b = StepOutcome.Of(op.Apply(reference, ref i), i, reference.Effects);
                var diff = StepOutcome.Difference(a, b);
                Assert.True(diff is null, $"step {k} ({op}) from {before}: generated vs interpreted: {diff}");
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Fact]
    public void Both_engines_have_the_same_rows_and_states()
    {
        var interpreted = TestEngines.Interpreted;
        Assert.Equal(TcpMachine.RowCount, interpreted.Rows.Count);
        Assert.Equal(TestEngines.Generated.StateNames, interpreted.StateNames);
        for (int id = 1; id <= TcpMachine.RowCount; id++)
        {
            Assert.Equal(id, interpreted.Rows[id - 1].Id);
            Assert.Equal(TcpMachine.Rows[id - 1].Description, interpreted.Rows[id - 1].Description);
        }
    }
}
