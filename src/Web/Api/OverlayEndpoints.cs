using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// The JSON API under /api/ (docs/web.md): overlays, their peers, a peer's state, actions and
/// traces. Errors are 4xx with {"error": "..."} and change nothing; every change is pushed to the pages.
/// </summary>
public static class OverlayEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/overlays", (HttpContext http) => Run(http, async s => await ListAsync(s)));
        app.MapGet("/api/protocols", (HttpContext http) => Run(http, Protocols));
        app.MapGet("/api/live", (HttpContext http) => Run(http, Live));

        app.MapPost("/api/overlays", (HttpContext http) => Run(http, async s =>
        {
            var body = await RequestBody.ReadAsync(http.Request);
            var name = body.String("name", 200) ?? throw new WebProblem("give the overlay's 'name'");
            if (OverlayNames.Problem(name) is { } problem)
            {
                throw new WebProblem(problem);
            }

            var api = s.Catalog.Get(body.String("protocol", 64) ?? throw new WebProblem("give the 'protocol'"));
            var parameters = api.Parameters(body, s.Options);
            var problems = parameters.Validate().ToList();
            if (problems.Count > 0)
            {
                throw new WebProblem(string.Join("; ", problems));
            }

            if (await s.Grains.GetGrain<IOverlayRegistryGrain>(name).GetAsync() is not null)
            {
                throw WebProblem.Conflict($"an overlay named '{name}' exists already");
            }

            var info = await api.CreateAsync(s.Grains, name, parameters);
            await s.Feed.OverlaysChangedAsync();
            http.Response.StatusCode = StatusCodes.Status201Created;
            return Describe(info);
        }));

        app.MapGet("/api/overlays/{name}", (HttpContext http, string name) => Run(http, async s => Describe((await OpenAsync(s, name)).Info)));
        app.MapDelete("/api/overlays/{name}", (HttpContext http, string name) => Run(http, async s =>
        {
            var overlay = await OpenAsync(s, name);
            await overlay.Registry.DeleteAsync();
            s.Feed.Forget(name);
            await s.Feed.OverlaysChangedAsync();
            return new { deleted = name };
        }));

        app.MapGet("/api/overlays/{name}/peers", (HttpContext http, string name) => Run(http, async s =>
        {
            var overlay = await OpenAsync(s, name);
            return await s.Catalog.Get(overlay.Parameters.Protocol).PeersAsync(overlay);
        }));
        app.MapGet("/api/overlays/{name}/peers/{id}", (HttpContext http, string name, string id) => Run(http, async s =>
        {
            var overlay = await OpenAsync(s, name);
            return await s.Catalog.Get(overlay.Parameters.Protocol).PeerAsync(overlay, id);
        }));
        app.MapGet("/api/overlays/{name}/summary", (HttpContext http, string name) => Run(http, async s =>
        {
            var overlay = await OpenAsync(s, name);
            return await s.Catalog.Get(overlay.Parameters.Protocol).SummaryAsync(overlay);
        }));
        app.MapGet("/api/overlays/{name}/lookups", (HttpContext http, string name) => Run(http, async s =>
        {
            await OpenAsync(s, name);
            return s.Feed.Traces(name);
        }));

        app.MapPost("/api/overlays/{name}/{action}", (HttpContext http, string name, string action) => Run(http, async s =>
        {
            var body = await RequestBody.ReadAsync(http.Request);
            var overlay = await OpenAsync(s, name);
            var api = s.Catalog.Get(overlay.Parameters.Protocol);
            var result = action switch
            {
                "join" => await api.JoinAsync(overlay, body),
                "fail" => await api.FailAsync(overlay, body),
                "leave" => await api.LeaveAsync(overlay, body),
                "step" => await api.StepAsync(overlay, body),
                "lookup" => await api.LookupAsync(overlay, body),
                "put" => await api.PutAsync(overlay, body),
                "get" => await api.GetAsync(overlay, body),
                _ when api.Actions.Contains(action) => await api.ActAsync(overlay, action, body),
                _ => throw WebProblem.NotFound($"no action '{RequestBody.Shown(action)}' for a {api.Protocol} overlay (it has: {string.Join(", ", api.Actions)})"),
            };
            if (action is "lookup" or "get" or "put")
            {
                http.Response.Headers["x-p2p-trace"] = (await s.Feed.TraceAsync(name, action, result)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (action is not ("lookup" or "get"))
            {
                await s.Feed.ChangedAsync(name);
            }

            return result;
        }));

        app.Map("/api/{**rest}", (HttpContext http, string? rest) => Run(http, _ =>
            throw WebProblem.NotFound($"no API at /api/{RequestBody.Shown(rest ?? "")} for {http.Request.Method} (see docs/web.md)")));
    }

    private static Task<object> Protocols(Services s) => Task.FromResult<object>(
        s.Catalog.All.OrderBy(p => p.Protocol).Select(p => new { protocol = p.Protocol, actions = p.Actions }).ToArray());

    private static Task<object> Live(Services s) => Task.FromResult<object>(
        new { focus = s.Feed.Focus is { } f ? new { overlay = f.Overlay, caption = f.Caption } : null });

    private static async Task<object> ListAsync(Services s)
    {
        // The catalog lists every overlay from the replica of the silo it runs on (docs/cluster.md).
        var infos = await s.Grains.GetGrain<IOverlayCatalogGrain>(0).ListAsync();
        return infos.Select(Describe).ToList();
    }

    private static object Describe(OverlayInfo info) => new
    {
        name = info.Name,
        protocol = info.Parameters.Protocol,
        peers = info.Members,
        round = info.Round,
        clock = info.Parameters.Clock.ToString().ToLowerInvariant(),
        bits = info.Parameters.IdBits,
        created_at = info.CreatedAt,
        parameters = ParametersJson(info.Parameters),
    };

    /// <summary>The parameters as set at creation, without what follows from them (the id space) or bulky inputs (an edge list).</summary>
    private static Dictionary<string, JsonElement> ParametersJson(OverlayParameters parameters)
    {
        var element = JsonSerializer.SerializeToElement(parameters, parameters.GetType(), WebJson.Options);
        return element.EnumerateObject()
            .Where(p => p.Name is not ("space" or "edge_list"))
            .ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static async Task<OverlayContext> OpenAsync(Services s, string name)
    {
        if (OverlayNames.Problem(name) is { } problem)
        {
            throw new WebProblem(problem);
        }

        var info = await s.Grains.GetGrain<IOverlayRegistryGrain>(name).GetAsync()
            ?? throw WebProblem.NotFound($"no overlay named '{name}'");
        return new OverlayContext(s.Grains, name, info, s.Options);
    }

    /// <summary>Runs one request: its JSON answer, or {"error": "..."} with a 4xx for what the user can fix.</summary>
    private static async Task Run(HttpContext http, Func<Services, Task<object>> handle)
    {
        var services = new Services(
            http.RequestServices.GetRequiredService<IGrainFactory>(),
            http.RequestServices.GetRequiredService<ProtocolCatalog>(),
            http.RequestServices.GetRequiredService<LiveFeed>(),
            http.RequestServices.GetRequiredService<WebOptions>());
        object result;
        try
        {
            result = await handle(services);
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            await WriteAsync(http, refusal.Status, new { error = refusal.Message });
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("P2POrleans.Web").LogError(e, "request {Path} failed", http.Request.Path);
            await WriteAsync(http, StatusCodes.Status500InternalServerError, new { error = "unexpected failure: " + OneLine(e.Message) });
            return;
        }

        await WriteAsync(http, http.Response.StatusCode, result);
    }

    /// <summary>The status and message for a failure the user caused or can act on; null for a bug.</summary>
    internal static (int Status, string Message)? Refusal(Exception e) => e switch
    {
        WebProblem p => (p.Status, p.Message),
        P2PException p => (StatusCodes.Status400BadRequest, OneLine(p.Message)),
        PeerUnreachableException p => (StatusCodes.Status409Conflict, OneLine(p.Message)),
        AggregateException { InnerExceptions.Count: 1 } a => Refusal(a.InnerExceptions[0]),
        _ => null,
    };

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static async Task WriteAsync(HttpContext http, int status, object value)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, value.GetType(), WebJson.Options, http.RequestAborted);
    }

    private sealed record Services(IGrainFactory Grains, ProtocolCatalog Catalog, LiveFeed Feed, WebOptions Options);
}
