-- wrk script: POST the same classify body on every request.
wrk.method = "POST"
wrk.body = '{"concept":"smart insulin pump","language":"en"}'
wrk.headers["Content-Type"] = "application/json"
