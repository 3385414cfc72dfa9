using P2POrleans.Client;

return await P2PCli.RunAsync(args, Console.Out, Console.Error);
