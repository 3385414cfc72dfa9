using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace P2POrleans.Web;

/// <summary>
/// The page's files (wwwroot) are embedded resources of this assembly: the same bytes are served
/// from `dotnet run`, from the silo and from the test output folders, with nothing to copy.
/// </summary>
public static class StaticAssets
{
    private static readonly Assembly Assembly = typeof(StaticAssets).Assembly;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly HashSet<string> Names = [.. Assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal))];

    public static IReadOnlyCollection<string> Files => Names;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => ServeAsync(http, "index.html"));
        app.MapGet("/{**path}", (HttpContext http, string path) => ServeAsync(http, path));
    }

    private static async Task ServeAsync(HttpContext http, string path)
    {
        var name = "wwwroot/" + path;
        if (path.Contains("..", StringComparison.Ordinal) || !Names.Contains(name))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"no file /{path} here; the page is at /", http.RequestAborted);
            return;
        }

        http.Response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) ? type + "; charset=utf-8" : type) : "application/octet-stream";

        // the page is small and changes with the build: always revalidated, never stale after an upgrade
        http.Response.Headers.CacheControl = "no-cache";
        await using var stream = Assembly.GetManifestResourceStream(name)!;
        http.Response.ContentLength = stream.Length;
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
