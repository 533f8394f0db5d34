-- wrk script for scripts/bench-web.sh, configured by environment variables:
--   BENCH_FILE    a file with one value per line (subject ids, UTF-8 search queries); empty: always request the URL's path
--   BENCH_PREFIX  path before the value, e.g. /subjects/ or /search?q=
--   BENCH_SUFFIX  text after the value (default empty)
--   BENCH_ENCODE  1: percent-encode the value as UTF-8 (for query strings)
--   BENCH_STATUS  1: also tally response status classes (slower: wrk then parses every response; warm-up only)
-- Each thread starts at its own offset in the list and walks it in order, so the run covers the whole list.
-- done() prints one machine-readable WRK_RESULT line that bench-web.sh parses (times in microseconds).

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
   table.insert(threads, thread)
end

local function encode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
local index = 1

function init(args)
   local file = os.getenv("BENCH_FILE") or ""
   local prefix = os.getenv("BENCH_PREFIX") or ""
   local suffix = os.getenv("BENCH_SUFFIX") or ""
   local doEncode = os.getenv("BENCH_ENCODE") == "1"
   if file ~= "" then
      for line in io.lines(file) do
         line = line:gsub("\r$", "")
         if line ~= "" then
            table.insert(paths, prefix .. (doEncode and encode(line) or line) .. suffix)
         end
      end
   end
   if #paths == 0 then
      table.insert(paths, wrk.path)
   end
   local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2") or 2
   index = math.floor(((tid or 1) - 1) * #paths / nthreads) + 1
end

function request()
   local path = paths[index]
   index = index + 1
   if index > #paths then index = 1 end
   return wrk.format("GET", path)
end

if os.getenv("BENCH_STATUS") == "1" then
   c2, c3, c4, c5 = 0, 0, 0, 0
   function response(status, headers, body)
      if status < 300 then c2 = c2 + 1 elseif status < 400 then c3 = c3 + 1 elseif status < 500 then c4 = c4 + 1 else c5 = c5 + 1 end
   end
end

function done(summary, latency, requests)
   if os.getenv("BENCH_STATUS") == "1" then
      local t2, t3, t4, t5 = 0, 0, 0, 0
      for _, t in ipairs(threads) do
         t2 = t2 + (t:get("c2") or 0); t3 = t3 + (t:get("c3") or 0); t4 = t4 + (t:get("c4") or 0); t5 = t5 + (t:get("c5") or 0)
      end
      io.write(string.format("WRK_STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\n", t2, t3, t4, t5))
   end
   local e = summary.errors
   io.write(string.format(
      "WRK_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f non2xx3xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
      e.status, e.connect, e.read, e.write, e.timeout))
end
