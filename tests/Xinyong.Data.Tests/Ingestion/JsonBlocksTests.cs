using System.Text;
using Shouldly;
using Xinyong.Data.Ingestion;

namespace Xinyong.Data.Tests.Ingestion;

public sealed class JsonBlocksTests
{
    [Fact]
    public void ReserveAndCommit_ManyRowsAndOneLargerThanABlock_EachReadsBackAsWritten()
    {
        var blocks = new JsonBlocks();
        var written = new List<(string Json, ReadOnlyMemory<byte> Stored)>();
        for (var i = 0; i < 3000; i++)
        {
            var json = $$"""{"CF_WSH":"昆市监罚〔2026〕{{i}}号","CF_NR":"{{new string('罚', i % 97)}}"}""";
            written.Add((json, Store(blocks, json)));
            if (i == 1500)
            {
                var large = "{\"BZ\":\"" + new string('x', 300_000) + "\"}";
                written.Add((large, Store(blocks, large)));
            }
        }
        foreach (var (json, stored) in written) Encoding.UTF8.GetString(stored.Span).ShouldBe(json);
        blocks.Release();
    }

    /// <summary>As RowJson does: room for the most the text can take, then only what was written is kept.</summary>
    private static ReadOnlyMemory<byte> Store(JsonBlocks blocks, string json)
    {
        var room = blocks.Reserve(json.Length * 6);
        return blocks.Commit(Encoding.UTF8.GetBytes(json, room));
    }
}
