using Shouldly;
using Xinyong.Data.Ingestion;

namespace Xinyong.Data.Tests.Ingestion;

/// <summary>The hand-over between ingest stages: one chunk at a time, the producer released only once it is taken.</summary>
public sealed class HandOffTests
{
    [Fact]
    public async Task SendAsync_ReturnsOnlyOnceTheConsumerTookTheItem()
    {
        var handOff = new HandOff<int>();
        var sent = handOff.SendAsync(1, CancellationToken.None);
        await Task.Delay(100);
        sent.IsCompleted.ShouldBeFalse("nobody has taken the item yet");

        await using var items = handOff.ReceiveAllAsync(CancellationToken.None).GetAsyncEnumerator();
        (await items.MoveNextAsync()).ShouldBeTrue();
        items.Current.ShouldBe(1);
        await sent.WaitAsync(TimeSpan.FromSeconds(5));

        // The next item waits again, even though the consumer has not finished with the first.
        var second = handOff.SendAsync(2, CancellationToken.None);
        await Task.Delay(100);
        second.IsCompleted.ShouldBeFalse();
        (await items.MoveNextAsync()).ShouldBeTrue();
        items.Current.ShouldBe(2);
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ReceiveAllAsync_AllItemsInOrderThenEnds()
    {
        var handOff = new HandOff<int>();
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++) await handOff.SendAsync(i, CancellationToken.None);
            handOff.Complete();
        });
        var received = new List<int>();
        await foreach (var i in handOff.ReceiveAllAsync(CancellationToken.None)) received.Add(i);
        await producing;
        received.ShouldBe(Enumerable.Range(0, 50));
    }

    [Fact]
    public async Task Complete_WithError_ConsumerSeesIt()
    {
        var handOff = new HandOff<int>();
        handOff.Complete(new InvalidOperationException("stage failed"));
        var ex = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in handOff.ReceiveAllAsync(CancellationToken.None)) { }
        });
        ex.Message.ShouldBe("stage failed");
    }

    [Fact]
    public async Task SendAsync_Cancelled_WhileWaitingToBeTaken_Throws()
    {
        var handOff = new HandOff<int>();
        using var cts = new CancellationTokenSource();
        var sent = handOff.SendAsync(1, cts.Token);
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => sent);
    }
}
