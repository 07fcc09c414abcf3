using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>A level's delta-coded ids read back chunk by chunk as they were added, whatever their gaps.</summary>
public class LevelIdsTests
{
    private static List<int> Increasing(int count, int seed)
    {
        var random = new Random(seed);
        var ids = new List<int>(count);
        int id = random.Next(1_000);
        for (int i = 0; i < count; i++)
        {
            // Mostly consecutive, some small gaps, a few gaps of several LEB128 bytes.
            id += random.Next(10) switch { < 7 => 1, < 9 => 2 + random.Next(200), _ => 1 + random.Next(1 << 16) };
            ids.Add(id);
        }
        return ids;
    }

    private static List<int> ReadAll(LevelIds level)
    {
        var all = new List<int>();
        var chunk = new int[Chunks.Size];
        for (int c = 0; c * Chunks.Size < level.Count; c++)
        {
            int n = level.ReadChunk(c, chunk);
            Assert.Equal(Math.Min(Chunks.Size, level.Count - c * Chunks.Size), n);
            all.AddRange(chunk.AsSpan(0, n).ToArray());
        }
        return all;
    }

    [Fact]
    public void Ids_read_back_by_chunk_across_blocks_and_after_a_clear()
    {
        var level = new LevelIds();
        var ids = Increasing(200_000, 1);
        foreach (int id in ids) level.Add(id);
        Assert.Equal(ids, ReadAll(level));
        Assert.Equal(ids, level.ToArray());
        Assert.True(level.Bytes < ids.Count * 2L, $"{level.Bytes:N0} bytes for {ids.Count:N0} ids");

        level.Clear();
        Assert.Equal(0, level.Count);
        var next = Increasing(1_234, 2);
        foreach (int id in next) level.Add(id);
        Assert.Equal(next, ReadAll(level));
    }

    [Fact]
    public void Consecutive_ids_take_a_byte_each_and_the_largest_ids_read_back()
    {
        var level = new LevelIds();
        level.Add(0);
        for (int id = 1; id < 100_000; id++) level.Add(id);
        level.Add(int.MaxValue);
        var all = ReadAll(level);
        Assert.Equal(100_001, all.Count);
        Assert.Equal(int.MaxValue, all[^1]);
        Assert.Equal(99_999, all[^2]);
    }

    [Fact]
    public void An_id_not_above_the_last_is_refused()
    {
        var level = new LevelIds();
        level.Add(5);
        Assert.Throws<ArgumentException>(() => level.Add(5));
    }
}
