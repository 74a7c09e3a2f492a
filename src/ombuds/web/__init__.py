"""The web app: server-rendered GOV.UK Frontend pages over the casework actions and the corpus.

Pages are an adapter like the CLI: they parse a request, call the same functions the API and
the command line call, and render a template. Every page works without JavaScript.
"""
