using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// The worlds the per-part measurements run over (<c>-- parts</c>, <c>-- property-costs</c>):
/// random walks from the scenario's initial world, each at most <paramref name="depth"/> moves,
/// until <paramref name="count"/> worlds with an enabled move are collected; seeded, so every run
/// measures the same worlds.
/// </summary>
internal static class RandomWalkWorlds
{
    public static List<World> Collect(TwoHostModel model, int count, int depth, int seed = 1)
    {
        var stepper = new Stepper(model);
        var rng = new Random(seed);
        var worlds = new List<World>(count);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        while (worlds.Count < count)
        {
            var w = model.Initial;
            for (int d = 0; d < depth; d++)
            {
                int n = stepper.Enumerate(w, moves);
                if (n == 0 || stepper.OutOfBounds(w)) break;
                worlds.Add(w);
                stepper.Apply(ref w, moves[rng.Next(n)]);
            }
        }
        return worlds;
    }
}
