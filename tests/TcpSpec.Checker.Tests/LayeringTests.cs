using System.Text.RegularExpressions;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// The checker flows one way: Model ← Exploration ← Properties ← Strategies. A folder may use
/// the folders before it, never one after it (the model names no property, the move relation no
/// strategy); and no source file grows past about 450 lines.
/// </summary>
public class LayeringTests
{
    private static readonly string[] Layers = ["Model", "Exploration", "Properties", "Strategies"];

    private static readonly Regex Import = new(@"\bTcpSpec\.Checker\.(?<layer>Model|Exploration|Properties|Strategies|Scenarios|Output)\b");

    public static TheoryData<string> LayerNames() => new(Layers);

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_layer_uses_only_the_layers_before_it(string layer)
    {
        int rank = Array.IndexOf(Layers, layer);
        var files = Directory.GetFiles(Repo.Path("src", "TcpSpec.Checker", layer), "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var wrong = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (Match m in Import.Matches(lines[i]))
                {
                    string used = m.Groups["layer"].Value;
                    int usedRank = Array.IndexOf(Layers, used);
                    if (usedRank > rank || usedRank < 0)
                        wrong.Add($"{Path.GetRelativePath(Repo.Root, file)}({i + 1}): {layer} uses {used}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void No_checker_source_file_is_over_450_lines()
    {
        var big = Directory.GetFiles(Repo.Path("src", "TcpSpec.Checker"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(f => (File: Path.GetRelativePath(Repo.Root, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 450).ToList();
        Assert.True(big.Count == 0, string.Join("\n", big.Select(f => $"{f.File}: {f.Lines} lines")));
    }
}
