using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>How every part of `p2p demo` opens: its title, and its overlay name made free again (the overlay a previous run left is deleted).</summary>
public static class DemoScene
{
    /// <summary>
    /// Writes the scene's title rule and deletes a previous run's overlay named <paramref name="overlay"/>, saying so
    /// as "the previous '<paramref name="overlay"/>' <paramref name="kind"/>" (null: silently); returns its registry.
    /// </summary>
    public static async Task<IOverlayRegistryGrain> OpenAsync(CliSession session, IClusterClient client, string title, string overlay, string? kind = "overlay")
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(client);
        session.Console.Write(new Rule(title).LeftJustified());
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        if (await registry.GetAsync() is not null)
        {
            await registry.DeleteAsync();
            if (kind is not null)
            {
                session.Console.MarkupLine($"[grey]deleted the previous '{overlay}' {kind}[/]");
            }
        }

        return registry;
    }
}
