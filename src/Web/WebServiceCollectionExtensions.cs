namespace P2POrleans.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>Adds the web view to a host with a silo or a cluster client; register it after UseOrleans.</summary>
    public static IServiceCollection AddP2PWeb(this IServiceCollection services, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddHostedService(sp => new WebHostedService(sp.GetRequiredService<IGrainFactory>(), options, sp.GetRequiredService<ILogger<WebHostedService>>()));
    }
}
