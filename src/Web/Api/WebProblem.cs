namespace P2POrleans.Web.Api;

/// <summary>A request the API refuses: the status code (4xx) and one line for the user. Nothing was changed.</summary>
public sealed class WebProblem : Exception
{
    public WebProblem()
    {
    }

    public WebProblem(string message)
        : this(StatusCodes.Status400BadRequest, message)
    {
    }

    public WebProblem(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
    }

    public WebProblem(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public int Status { get; } = StatusCodes.Status400BadRequest;

    public static WebProblem NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static WebProblem Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}
