using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Xinyong.Data.Ingestion;

/// <summary>
/// Passes chunks from one stage of an ingest to the next, one at a time: the producer's <see cref="SendAsync"/> returns
/// once the consumer has taken the chunk, so the producer prepares the next chunk while the consumer works on this one
/// and never has a finished chunk waiting beside one in hand. A channel of capacity one alone lets a stage hold two (one
/// queued, one built while it waits); over the ingest's three stages that kept five chunks of rows alive instead of
/// three, and rows that live that long outlast two garbage collections and end in the oldest generation, which then
/// has to be collected again and again (docs/benchmarks.md, "Ingest").
/// </summary>
internal sealed class HandOff<T>
{
    private readonly Channel<T> _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _taken = new(0);

    /// <summary>Hands <paramref name="item"/> over and waits until the consumer has taken it.</summary>
    public async Task SendAsync(T item, CancellationToken ct)
    {
        await _channel.Writer.WriteAsync(item, ct);
        await _taken.WaitAsync(ct);
    }

    /// <summary>No more items; <paramref name="error"/>, if any, ends the consumer's reading with that error.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    /// <summary>The items in the order sent, each taken (and its producer released) as the consumer asks for it.</summary>
    public async IAsyncEnumerable<T> ReceiveAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        while (await _channel.Reader.WaitToReadAsync(ct))
        {
            while (_channel.Reader.TryRead(out var item))
            {
                _taken.Release();
                yield return item;
            }
        }
    }
}
