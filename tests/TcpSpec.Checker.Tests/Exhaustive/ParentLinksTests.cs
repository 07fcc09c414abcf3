using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>The parent links give back every link they were given, whether in memory or spilled to their file, and through a checkpoint.</summary>
public sealed class ParentLinksTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"tcpspec-links-test-{Guid.NewGuid():N}");

    public ParentLinksTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Several 16,384-link blocks and a part of one.
    private const int Count = 100_003;

    private static (int Parent, byte Move) LinkOf(long id) => (id == 0 ? -1 : (int)(id * 7 / 13), (byte)(id * 31 % 251));

    private static ParentLinks Filled(ParentLinks links)
    {
        for (long id = 0; id < Count; id++)
        {
            var (parent, move) = LinkOf(id);
            links.Add(parent, move);
        }
        return links;
    }

    private static void AssertAll(ParentLinks links)
    {
        Assert.Equal(Count, links.Count);
        for (long id = 0; id < Count; id++) Assert.Equal(LinkOf(id), links[id]);
    }

    [Fact]
    public void Links_kept_in_memory_read_back_across_blocks()
    {
        using var links = Filled(new ParentLinks());
        AssertAll(links);
        Assert.Equal(0, links.Spilled);
        Assert.True(links.Bytes >= Count * (long)ParentLinks.LinkBytes);
    }

    [Fact]
    public void Links_past_the_spill_size_go_to_a_file_and_read_back_from_it_and_from_memory()
    {
        using var links = Filled(new ParentLinks(_dir, spillBytes: 100_000));
        Assert.True(links.Spilled >= Count - 16_384, $"{links.Spilled} of {Count} links spilled");
        Assert.True(links.Bytes <= 16_384 * ParentLinks.LinkBytes, $"{links.Bytes} bytes of links in memory");
        Assert.Single(Directory.GetFiles(_dir));
        AssertAll(links);
        // Adding after reads goes on where it was.
        links.Add(42, 7);
        Assert.Equal((42, (byte)7), links[Count]);
        links.Dispose();
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_directory_that_cannot_be_written_keeps_the_links_in_memory()
    {
        using var links = Filled(new ParentLinks(Path.Combine(_dir, "missing", "below"), spillBytes: 0));
        Assert.Equal(0, links.Spilled);
        AssertAll(links);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Links_saved_to_a_checkpoint_load_into_a_store_that_spills_alike(bool spilled)
    {
        using var links = Filled(new ParentLinks(_dir, spilled ? 100_000 : long.MaxValue));
        var file = new MemoryStream();
        using (var w = new CheckpointWriter(file)) { links.Save(w); w.Flush(); file = new MemoryStream(file.ToArray()); }
        using var back = new ParentLinks(_dir, spillBytes: spilled ? 200_000 : long.MaxValue);
        back.Load(new CheckpointReader(file, file.Length));
        AssertAll(back);
        Assert.Equal(spilled, back.Spilled > 0);
    }

    [Fact]
    public void A_link_beyond_the_count_is_refused()
    {
        using var links = new ParentLinks();
        links.Add(-1, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => links[1]);
    }
}
