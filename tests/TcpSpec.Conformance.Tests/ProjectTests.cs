namespace TcpSpec.Conformance.Tests;

public class ProjectTests
{
    [Fact]
    public void The_conformance_library_sees_the_compiled_table() => Assert.Equal(11, TcpMachine.StateNames.Count);
}
