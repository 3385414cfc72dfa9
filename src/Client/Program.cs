using P2POrleans.Client;

using var signals = new CliSignals(Console.Error);
var code = await P2PCli.RunAsync(args, Console.Out, Console.Error, signals.Token);
return CliSignals.ExitCode ?? code;
