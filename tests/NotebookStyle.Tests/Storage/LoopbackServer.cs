using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NotebookStyle.Tests.Storage;

/// <summary>What <see cref="LoopbackServer"/> answers to one request.</summary>
/// <param name="Status">HTTP status (a range request on a 200 reply becomes 206 when <see cref="HonourRange"/>).</param>
/// <param name="Body">The whole file.</param>
public sealed record LoopbackReply(int Status, byte[] Body)
{
    /// <summary>Answer <c>Range: bytes=N-</c> with 206 and the rest of the body (else the whole body with 200).</summary>
    public bool HonourRange { get; init; } = true;

    /// <summary>Close the connection after this many body bytes, short of the promised length (a dropped transfer).</summary>
    public int? BreakAfter { get; init; }

    /// <summary>Bytes written per chunk.</summary>
    public int ChunkSize { get; init; } = 64 << 10;

    /// <summary>Pause after each chunk (a slow server, so a transfer can be caught half-way).</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>A 200 reply with <paramref name="body"/>.</summary>
    public static LoopbackReply Ok(byte[] body) => new(200, body);

    /// <summary>An error status with no body.</summary>
    public static LoopbackReply Error(int status) => new(status, []);
}

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (a random free port) for download tests: one request per connection,
/// <c>Range: bytes=N-</c>, slow or broken transfers on request, a bounded number of requests, everything logged.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, int, LoopbackReply?> _route;
    private readonly int _maxRequests;
    private readonly List<(string Path, long? RangeFrom)> _requests = [];
    private long _bytesSent;

    /// <summary>Starts serving; <paramref name="route"/> gets the path and the 0-based index of the request to it (null: 404).</summary>
    public LoopbackServer(Func<string, int, LoopbackReply?> route, int maxRequests = 40)
    {
        _route = route;
        _maxRequests = maxRequests;
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    /// <summary>The address of <paramref name="path"/> on this server.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path.TrimStart('/')}");

    /// <summary>Every request so far: path and the range's start, if any.</summary>
    public IReadOnlyList<(string Path, long? RangeFrom)> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>Body bytes written so far, all requests together.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Requests to <paramref name="path"/>.</summary>
    public int CountOf(string path) => Requests.Count(r => r.Path == "/" + path.TrimStart('/'));

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var stream = client.GetStream();
                string head = await ReadHead(stream, timeout.Token);
                var lines = head.Split("\r\n");
                string path = lines[0].Split(' ')[1];
                long? from = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase))
                    .Select(p => (long?)long.Parse(p[1].Trim()["bytes=".Length..].TrimEnd('-'))).FirstOrDefault();
                int index;
                lock (_requests)
                {
                    index = _requests.Count(r => r.Path == path);
                    _requests.Add((path, from));
                }
                var reply = _requests.Count > _maxRequests ? LoopbackReply.Error(503) : _route(path, index) ?? LoopbackReply.Error(404);

                int status = reply.Status;
                byte[] body = reply.Body;
                string extra = "";
                if (status == 200 && reply.HonourRange && from is long start)
                {
                    if (start >= body.Length)
                    {
                        status = 416;
                        body = [];
                    }
                    else
                    {
                        status = 206;
                        extra = $"Content-Range: bytes {start}-{reply.Body.Length - 1}/{reply.Body.Length}\r\n";
                        body = reply.Body[(int)start..];
                    }
                }
                string header = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Length: {body.Length}\r\n{extra}Connection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header), timeout.Token);
                int sent = 0;
                while (sent < body.Length)
                {
                    int n = Math.Min(reply.ChunkSize, body.Length - sent);
                    if (reply.BreakAfter is int limit) n = Math.Min(n, limit - sent);
                    if (n <= 0) return; // the connection closes before the promised length: a dropped transfer
                    await stream.WriteAsync(body.AsMemory(sent, n), timeout.Token);
                    sent += n;
                    Interlocked.Add(ref _bytesSent, n);
                    if (reply.ChunkDelay > TimeSpan.Zero) await Task.Delay(reply.ChunkDelay, timeout.Token);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or FormatException or IndexOutOfRangeException)
            {
                // The client went away (killed, timed out) or sent nonsense: nothing to answer.
            }
        }
    }

    private static async Task<string> ReadHead(NetworkStream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 << 10)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0) throw new IOException("closed before the request ended");
            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 404 => "Not Found", 416 => "Range Not Satisfiable", 503 => "Service Unavailable", _ => "Status",
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
