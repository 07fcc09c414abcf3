namespace TcpSpec.Tests.Engine;

/// <summary>
/// The engine tests must exercise every row of the table. This sweep runs every engine test
/// itself (found by reflection, see <see cref="EngineTestCatalog"/>) with a recorder of fired rows,
/// against the generated engine and again against the interpreted one, and fails if any test
/// fails under that engine or any row of 1..RowCount never fired, listing the rows missing.
/// </summary>
public class RowCoverageTests
{
    [Theory]
    [InlineData(EngineUnderTest.GeneratedName)]
    [InlineData(EngineUnderTest.InterpretedName)]
    public void Every_row_is_exercised_by_the_engine_tests(string engineName)
    {
        var engine = EngineUnderTest.ByName(engineName);
        var tests = EngineTestCatalog.All();
        Assert.True(tests.Count > 100, $"the catalog found only {tests.Count} engine tests");

        var fired = new HashSet<int>();
        var failures = new List<string>();
        using (EngineUnderTest.Use(engine, fired))
        {
            foreach (var test in tests)
            {
                try
                {
                    test.Run();
                }
                catch (Exception e)
                {
                    failures.Add($"{test.Name}: {e.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} engine tests fail on the {engineName} engine:\n" + string.Join("\n", failures));
        var missing = Enumerable.Range(1, TcpMachine.RowCount).Where(id => !fired.Contains(id)).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of {TcpMachine.RowCount} rows are never exercised by the engine tests ({engineName} engine):\n"
            + string.Join("\n", missing.Select(TableRows.Describe)));
    }

    [Fact]
    public void The_interpreted_engine_numbers_the_rows_as_the_generated_one()
    {
        // Tests compare the fired id with the id found in the generated metadata: that holds for
        // the interpreted engine only if it reads the same table into the same rows.
        var interpreted = EngineUnderTest.Interpreted.Rows.Select(r => (r.Id, r.Line, r.Description));
        var generated = TcpMachine.Rows.Select(r => (r.Id, r.Line, r.Description));
        Assert.Equal(generated, interpreted);
    }

    [Fact]
    public void Recording_happens_only_inside_a_sweep()
    {
        var fired = new HashSet<int>();
        var c = new Conn(Fixtures.Closed());
        c.Close();
        Assert.Empty(fired);
        using (EngineUnderTest.Use(EngineUnderTest.Generated, fired))
            new Conn(Fixtures.Closed()).Close();
        Assert.Equal([TableRows.Find(TcpState.Closed, TcpEvent.Close).Id], fired);
    }
}
