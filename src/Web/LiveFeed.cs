using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace P2POrleans.Web;

/// <summary>
/// What the page is told, from the API's own actions, the watcher (changes made elsewhere, e.g. by
/// the console) and the demo in the same process. Keeps the last traces of each overlay so a page
/// opened later shows them too (/api/overlays/{name}/lookups).
/// </summary>
public sealed class LiveFeed(IHubContext<LiveHub> hub)
{
    private const int TracesKept = 20;
    private readonly ConcurrentDictionary<string, List<object>> _traces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _drawn = new(StringComparer.Ordinal);
    private long _lastTrace;
    private int _pages;

    /// <summary>The overlay the demo is showing (null when no demo runs), and what it is doing.</summary>
    public (string Overlay, string Caption)? Focus { get; private set; }

    public Task OverlaysChangedAsync() => hub.Clients.All.SendAsync("overlays");

    public Task ChangedAsync(string overlay) => hub.Clients.All.SendAsync("changed", overlay);

    /// <summary>A lookup or a query to draw; <paramref name="trace"/> is the API's JSON for it. Returns its number (pages draw each once).</summary>
    public async Task<long> TraceAsync(string overlay, string kind, object trace)
    {
        var list = _traces.GetOrAdd(overlay, _ => []);
        var id = Interlocked.Increment(ref _lastTrace);
        var entry = new { id, kind, at = DateTimeOffset.UtcNow, trace };
        lock (list)
        {
            list.Add(entry);
            if (list.Count > TracesKept)
            {
                list.RemoveAt(0);
            }
        }

        await hub.Clients.All.SendAsync("trace", overlay, entry);
        return id;
    }

    public IReadOnlyList<object> Traces(string overlay)
    {
        if (!_traces.TryGetValue(overlay, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    public void Forget(string overlay) => _traces.TryRemove(overlay, out _);

    /// <summary>Pages connected to the live channel now.</summary>
    public int Pages => Volatile.Read(ref _pages);

    private readonly TaskCompletionSource _firstPage = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a page has connected to the live channel.</summary>
    public Task FirstPageAsync => _firstPage.Task;

    internal void PageOpened()
    {
        Interlocked.Increment(ref _pages);
        _firstPage.TrySetResult();
    }

    internal void PageClosed() => Interlocked.Decrement(ref _pages);

    /// <summary>
    /// Completes when an open page reports <paramref name="overlay"/> drawn after this call (at once
    /// when no page is open). Call it before sending what is to be drawn, so the report cannot come
    /// first.
    /// </summary>
    public Task NextDrawAsync(string overlay)
    {
        if (Pages == 0)
        {
            return Task.CompletedTask;
        }

        var drawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _drawn[overlay] = drawn;
        return drawn.Task;
    }

    internal void Drawn(string overlay)
    {
        if (_drawn.TryRemove(overlay, out var drawn))
        {
            drawn.TrySetResult();
        }
    }

    /// <summary>The demo moved to <paramref name="overlay"/>: every open page switches to it.</summary>
    public Task FocusAsync(string overlay, string caption)
    {
        Focus = (overlay, caption);
        return hub.Clients.All.SendAsync("focus", overlay, caption);
    }
}
