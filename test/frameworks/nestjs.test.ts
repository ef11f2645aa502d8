/**
 * NestJS: controllers and their paths, guards by behaviour and by library, where they apply (global, class,
 * method, opt-outs), middleware from consumers, request parameters by decorator, DTO validation only under a
 * ValidationPipe, and reach through injected services.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { at, summaries } from './server-helpers.js';

afterAll(removeProjects);

const COMMON = `import { Body, CanActivate, Controller, ExecutionContext, Headers, Injectable, Post, UnauthorizedException, UseGuards, UsePipes, ValidationPipe } from '@nestjs/common';\n`;

const SERVICE = `import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';

@Injectable()
export class AiService {
  private readonly client: OpenAI;

  constructor() {
    this.client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
  }

  async complete(prompt: string) {
    const res = await this.client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: prompt }] });
    return res.choices[0].message.content;
  }
}
`;

const controller = (body: string, imports = '') => ({
  'src/ai.service.ts': SERVICE,
  'src/ai.controller.ts': `${COMMON}import { AiService } from './ai.service';\n${imports}\n${body}`,
});

describe('NestJS routes and guards', () => {
  it('joins the global prefix, controller path and method path; reaches the paid call through the injected service', async () => {
    const list = await summaries({
      ...controller(`@Controller({ path: 'assistant' })
export class AiController {
  constructor(private readonly ai: AiService) {}

  @Post(['complete', 'completion'])
  complete(@Body('prompt') prompt: string) {
    return this.ai.complete(String(prompt).slice(0, 1000));
  }
}`),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nconst app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('/v1');\n`,
    });
    expect(list.map((s) => s.route)).toEqual(['POST /v1/assistant/complete', 'POST /v1/assistant/completion']);
  });

  it('recognises a project guard by what canActivate does: throwing UnauthorizedException or returning false', async () => {
    const list = await summaries(
      controller(
        `@Injectable()
class SessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.session?.userId) throw new UnauthorizedException('Sign in first');
    return true;
  }
}

@Injectable()
class UserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return Boolean(context.switchToHttp().getRequest().user);
  }
}

@Injectable()
class LoggingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    console.log(context.getHandler().name);
    return true;
  }
}

@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}

  @Post('a')
  @UseGuards(SessionGuard)
  a() { return this.ai.complete('hello'); }

  @Post('b')
  @UseGuards(UserGuard)
  b() { return this.ai.complete('hello'); }

  @Post('c')
  @UseGuards(LoggingGuard)
  c() { return this.ai.complete('hello'); }
}`,
      ),
    );
    expect(list.map((s) => `${s.route} ${s.auth}`)).toEqual(['POST /ai/a true', 'POST /ai/b true', 'POST /ai/c false']);
  });

  it('leaves out a global guard a route bypasses through the metadata it checks', async () => {
    const list = await summaries({
      ...controller(
        `@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}

  @Post('members')
  @Roles('member')
  members() { return this.ai.complete('hello'); }

  @Post('anyone')
  anyone() { return this.ai.complete('hello'); }
}`,
        `import { Roles } from './roles';\n`,
      ),
      'src/roles.ts': `import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
export const ROLES_KEY = 'roles';
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required) return true;
    const { user } = context.switchToHttp().getRequest();
    return required.some((role) => user?.roles?.includes(role));
  }
}
`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AiController } from './ai.controller';
import { RolesGuard } from './roles';
@Module({ controllers: [AiController], providers: [{ provide: APP_GUARD, useClass: RolesGuard }] })
export class AppModule {}
`,
    });
    expect(list.map((s) => `${s.route} ${s.auth}`)).toEqual(['POST /ai/anyone false', 'POST /ai/members true']);
  });

  it('applies class guards to every method and honours @SkipThrottle on the class and its undoing on a method', async () => {
    const list = await summaries(
      controller(
        `@Controller('ai')
@UseGuards(AuthGuard('jwt'), ThrottlerGuard)
@SkipThrottle()
export class AiController {
  constructor(private readonly ai: AiService) {}

  @Post('a')
  a() { return this.ai.complete('hello'); }

  @Post('b')
  @SkipThrottle({ default: false })
  b() { return this.ai.complete('hello'); }
}`,
        `import { AuthGuard } from '@nestjs/passport';\nimport { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';\n`,
      ),
    );
    expect(list.map((s) => `${s.route} ${s.auth} ${s.limits.join(',')}`)).toEqual(['POST /ai/a true ', 'POST /ai/b true ip']);
  });

  it('reads request parts from parameter decorators, custom ones included', async () => {
    const list = await summaries({
      ...controller(
        `const limiter = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(10, '1 m') });

@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}

  @Post('a')
  async a(@Headers('x-session-id') session: string) {
    const { success } = await limiter.limit(session);
    if (!success) throw new HttpException('Too many requests', 429);
    return this.ai.complete('hello');
  }

  @Post('b')
  async b(@CurrentUser() user: { id: string }) {
    const { success } = await limiter.limit(user.id);
    if (!success) throw new HttpException('Too many requests', 429);
    return this.ai.complete('hello');
  }
}`,
        `import { HttpException } from '@nestjs/common';\nimport { Ratelimit } from '@upstash/ratelimit';\nimport { Redis } from '@upstash/redis';\nimport { CurrentUser } from './current-user';\n`,
      ),
      'src/current-user.ts': `import { createParamDecorator, ExecutionContext } from '@nestjs/common';
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const request = ctx.switchToHttp().getRequest();
  return request.user;
});
`,
    });
    expect(list.map((s) => `${s.route} ${s.limits.join(',')}`)).toEqual(['POST /ai/a client', 'POST /ai/b user']);
  });

  it('runs consumer middleware for the controllers and paths it is applied to', async () => {
    const list = await summaries({
      ...controller(`@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}
  @Post('chat')
  chat() { return this.ai.complete('hello'); }
}

@Controller('public')
export class PublicController {
  constructor(private readonly ai: AiService) {}
  @Post('chat')
  chat() { return this.ai.complete('hello'); }
}`),
      'src/auth.middleware.ts': `import { Injectable, NestMiddleware } from '@nestjs/common';
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  use(req, res, next) {
    if (req.headers.authorization !== \`Bearer \${process.env.API_TOKEN}\`) return res.status(401).json({ error: 'Unauthorized' });
    next();
  }
}
`,
      'src/app.module.ts': `import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AiController, PublicController } from './ai.controller';
import { AuthMiddleware } from './auth.middleware';
@Module({ controllers: [AiController, PublicController] })
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).exclude('public/(.*)').forRoutes('*');
  }
}
`,
    });
    expect(list.map((s) => `${s.route} ${s.auth}`)).toEqual(['POST /ai/chat true', 'POST /public/chat false']);
  });
});

describe('NestJS DTO validation', () => {
  const dto = `import { MaxLength, IsString } from 'class-validator';
export class AskDto {
  @IsString()
  @MaxLength(2000)
  prompt!: string;
}
`;
  const project = (method: string, main = '') => ({
    ...controller(
      `@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}
  ${method}
}`,
      `import { AskDto } from './ask.dto';\n`,
    ),
    'src/ask.dto.ts': dto,
    ...(main ? { 'src/main.ts': main } : {}),
  });
  const unbounded = async (method: string, main?: string) => at(await summaries(project(method, main)), 'POST /ai/ask').unbounded;

  it('counts a DTO only where a ValidationPipe applies to it', async () => {
    const plain = `@Post('ask')\n  ask(@Body() dto: AskDto) { return this.ai.complete(dto.prompt); }`;
    expect(await unbounded(plain)).toEqual(['item-size']);
    expect(await unbounded(`@UsePipes(new ValidationPipe())\n  ${plain}`)).toEqual([]);
    expect(await unbounded(`@Post('ask')\n  ask(@Body(new ValidationPipe()) dto: AskDto) { return this.ai.complete(dto.prompt); }`)).toEqual([]);
    const main = `import { ValidationPipe } from '@nestjs/common';\nimport { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nconst app = await NestFactory.create(AppModule);\napp.useGlobalPipes(new ValidationPipe({ whitelist: true }));\n`;
    expect(await unbounded(plain, main)).toEqual([]);
  });

  it('reads nested message DTOs only through @ValidateNested with @Type, and DTOs built from zod schemas', async () => {
    const chat = (messagesDecorators: string, message: string) => ({
      'src/ai.service.ts': SERVICE.replace(
        "async complete(prompt: string) {",
        "async chat(messages: { role: 'user' | 'assistant'; content: string }[]) {\n    return this.client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages });\n  }\n\n  async complete(prompt: string) {",
      ),
      'src/ai.controller.ts': `${COMMON}import { AiService } from './ai.service';
import { ChatDto } from './chat.dto';
@Controller('ai')
export class AiController {
  constructor(private readonly ai: AiService) {}
  @Post('chat')
  @UsePipes(new ValidationPipe())
  chat(@Body() dto: ChatDto) { return this.ai.chat(dto.messages); }
}`,
      'src/chat.dto.ts': `import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, MaxLength, ValidateNested } from 'class-validator';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
class MessageDto {
  ${message}
}
export class ChatDto {
  ${messagesDecorators}
  messages!: MessageDto[];
}
export class ZodChatDto extends createZodDto(z.object({ messages: z.array(z.object({ role: z.enum(['user']), content: z.string().max(10) })).max(5) })) {}
`,
    });
    const message = `@IsIn(['user', 'assistant'])\n  role!: string;\n  @MaxLength(4000)\n  content!: string;`;
    const missing = async (files: Record<string, string>) => at(await summaries(files), 'POST /ai/chat').unbounded;
    expect(await missing(chat('@ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => MessageDto)', message))).toEqual([]);
    expect(await missing(chat('@ArrayMaxSize(20) @Type(() => MessageDto)', message))).toEqual(['item-size', 'roles']);
    expect(await missing(chat('@ValidateNested({ each: true }) @Type(() => MessageDto)', '@MaxLength(4000)\n  content!: string;'))).toEqual(['array-length', 'roles']);
    const zod = (pipe: string) => {
      const files = chat('', message);
      files['src/ai.controller.ts'] = files['src/ai.controller.ts']
        .replace("import { ChatDto } from './chat.dto';", "import { ZodChatDto as ChatDto } from './chat.dto';\nimport { ZodValidationPipe } from 'nestjs-zod';")
        .replace('new ValidationPipe()', pipe);
      return files;
    };
    expect(await missing(zod('ZodValidationPipe'))).toEqual([]);
    expect(await missing(zod('new ValidationPipe()'))).toEqual(['array-length', 'item-size', 'roles']);
  });
});
